import Hls, { type ErrorData } from 'hls.js';

/** A decode hiccup is worth a few in-place recoveries before the player gives up. */
const MAX_MEDIA_RECOVERIES = 3;

/**
 * Calls `onFatal` once hls.js meets a fatal error it cannot get past: non-fatal errors are left
 * to hls.js, and fatal media errors are first recovered in place a few times.
 */
export function onUnrecoverableError(hls: Hls, onFatal: (data: ErrorData) => void): void {
  let recoveries = 0;
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveries < MAX_MEDIA_RECOVERIES) {
      recoveries += 1;
      hls.recoverMediaError();
      return;
    }
    onFatal(data);
  });
}
