import { useState } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import { mediaUrlWithToken } from '../../app/api/media';

/** The asset's poster frame, or a placeholder saying why there is none yet. */
export function Poster({
  asset,
  className,
}: {
  asset: Pick<AssetSummary, 'posterUrl' | 'state' | 'name'>;
  className?: string;
}) {
  const [broken, setBroken] = useState<string | null>(null);
  const url = asset.posterUrl;
  if (!url || broken === url) {
    return (
      <div className={`poster poster--empty ${className ?? ''}`} data-state={asset.state}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <rect x="3" y="5" width="18" height="14" rx="2" />
          <path d="M10 9.5v5l4-2.5z" />
        </svg>
      </div>
    );
  }
  return (
    <img
      className={`poster ${className ?? ''}`}
      src={mediaUrlWithToken(url)}
      alt=""
      loading="lazy"
      decoding="async"
      draggable={false}
      onError={() => setBroken(url)}
    />
  );
}
