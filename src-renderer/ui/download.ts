/**
 * Hands bytes made in this window to the browser's (or the desktop window's) download: no second
 * request, no URL carrying a secret.
 */
export function saveFile(fileName: string, type: string, data: BlobPart): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser the moment it needs to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The same for a file the core sent as base64 (reports). */
export function saveBase64File(fileName: string, type: string, base64: string): void {
  saveFile(
    fileName,
    type,
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
}
