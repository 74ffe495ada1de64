import { toString as qrSvg } from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * The otpauth link as a QR code for a phone's authenticator to scan. Drawn here from the link
 * the dialog already shows (no request carries the secret again), black on white with a quiet
 * zone whatever the theme, because scanners need the contrast.
 */
export function TotpQrCode({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    qrSvg(uri, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 4,
      color: { dark: '#000000', light: '#ffffff' },
    })
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => {
        if (live) setSrc(null);
      });
    return () => {
      live = false;
    };
  }, [uri]);
  if (!src) return null;
  return (
    <img
      className="account-secret__qr"
      src={src}
      width={192}
      height={192}
      alt="QR code of the authenticator link: scan it with the app"
      data-testid="totp-qr"
    />
  );
}
