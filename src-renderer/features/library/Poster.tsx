import { useEffect, useState } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import { mediaUrlWithToken } from '../../app/api/media';

/** A failed poster is asked for again this many times, a little later each time. */
const RETRIES = 3;
const RETRY_MS = [1_000, 4_000, 15_000];

type Load = { url: string; tries: number; state: 'loading' | 'loaded' | 'failed' };

/**
 * The asset's poster frame, or a placeholder saying why there is none yet.
 *
 * Posters used to stay black: the <img> was lazy-loaded inside the virtualised grid, whose
 * cards are created as they scroll in, so Chromium could defer an image that was already on
 * screen, and the black box behind it is what showed; a poster that failed once (a request
 * racing a re-ingest, a dropped connection) was never asked for again. Now the image loads at
 * once (the grid only creates what is visible anyway), the placeholder stays until the image
 * has actually arrived, and a failure is retried a few times before the placeholder stays.
 */
export function Poster({
  asset,
  className,
}: {
  asset: Pick<AssetSummary, 'posterUrl' | 'state' | 'name'>;
  className?: string;
}) {
  const url = asset.posterUrl;
  const [load, setLoad] = useState<Load | null>(null);
  const current =
    load && load.url === url ? load : url ? { url, tries: 0, state: 'loading' } : null;

  useEffect(() => {
    if (!current || current.state !== 'failed' || current.tries >= RETRIES) return;
    const timer = window.setTimeout(
      () => setLoad({ url: current.url, tries: current.tries + 1, state: 'loading' }),
      RETRY_MS[current.tries] ?? RETRY_MS[RETRY_MS.length - 1],
    );
    return () => window.clearTimeout(timer);
  }, [current?.url, current?.tries, current?.state]); // eslint-disable-line react-hooks/exhaustive-deps

  const placeholder = (
    <div className={`poster poster--empty ${className ?? ''}`} data-state={asset.state}>
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <rect x="3" y="5" width="18" height="14" rx="2" />
        <path d="M10 9.5v5l4-2.5z" />
      </svg>
    </div>
  );
  if (!current || current.state === 'failed') return placeholder;
  const src = new URL(mediaUrlWithToken(current.url));
  // A retry asks past any cached failure.
  if (current.tries > 0) src.searchParams.set('retry', String(current.tries));
  return (
    <span className={`poster-frame ${className ?? ''}`} data-loaded={current.state === 'loaded'}>
      {current.state !== 'loaded' && placeholder}
      <img
        key={current.tries}
        className={`poster ${className ?? ''}`}
        src={src.toString()}
        alt=""
        decoding="async"
        draggable={false}
        data-testid="poster-image"
        onLoad={() => setLoad({ url: current.url, tries: current.tries, state: 'loaded' })}
        onError={() => setLoad({ url: current.url, tries: current.tries, state: 'failed' })}
      />
    </span>
  );
}
