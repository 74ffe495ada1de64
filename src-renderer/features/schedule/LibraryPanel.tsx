import { useState, type DragEvent } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import { mediaUrlWithToken } from '../../app/api/media';
import { usePanelAssets, useFolderList } from './library-queries';
import { setDragging } from './store';
import { formatLength } from './time';

const STATE_LABEL: Record<AssetSummary['state'], string> = {
  probing: 'Probing',
  queued: 'Queued',
  ingesting: 'Ingesting',
  ready: 'Ready',
  failed: 'Failed',
};

function AssetRow({ asset }: { asset: AssetSummary }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData('text/plain', asset.name);
    event.dataTransfer.setData('application/x-airdeck-asset', String(asset.id));
    event.dataTransfer.effectAllowed = 'copy';
    setDragging({ assetId: asset.id, name: asset.name, durationMs: asset.durationMs ?? 60_000 });
  };
  return (
    <li
      className="sch-lib__item"
      data-testid={`library-item-${asset.id}`}
      data-state={asset.state}
      draggable
      onDragStart={onDragStart}
      onDragEnd={() => setDragging(null)}
      title={`${asset.name} — drag onto the calendar`}
    >
      {asset.posterUrl ? (
        <img className="sch-lib__poster" src={mediaUrlWithToken(asset.posterUrl)} alt="" />
      ) : (
        <span className="sch-lib__poster" aria-hidden="true" />
      )}
      <span className="sch-lib__name">{asset.name}</span>
      <span className="sch-lib__meta">
        {asset.durationMs ? formatLength(asset.durationMs) : '—'}
        <span className="sch-lib__state" data-state={asset.state}>
          {asset.state === 'ingesting'
            ? `${Math.floor(asset.progress * 100)}%`
            : STATE_LABEL[asset.state]}
        </span>
      </span>
    </li>
  );
}

/** Library assets to drag onto the calendar: one folder (and its sub-folders), searchable. */
export function LibraryPanel() {
  const folders = useFolderList().data ?? [];
  const [folderId, setFolderId] = useState(1);
  const [recursive, setRecursive] = useState(true);
  const [text, setText] = useState('');
  const assets = usePanelAssets({ folderId, recursive, text });
  const items = assets.data?.pages.flatMap((page) => page.items) ?? [];
  const total = assets.data?.pages[0]?.total ?? 0;

  return (
    <aside className="sch-lib" data-testid="library-panel" aria-label="Library">
      <div className="sch-lib__head">
        <select
          aria-label="Folder"
          value={folderId}
          onChange={(event) => setFolderId(Number(event.target.value))}
        >
          {folders.length === 0 && <option value={1}>Library</option>}
          {folders.map((folder) => (
            <option key={folder.id} value={folder.id}>
              {folder.parentId === null ? 'Library' : folder.name}
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="Search"
          aria-label="Search assets"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <label className="sch-check">
          <input
            type="checkbox"
            checked={recursive}
            onChange={(event) => setRecursive(event.target.checked)}
          />
          Sub-folders
        </label>
      </div>
      <ul className="sch-lib__list">
        {items.map((asset) => (
          <AssetRow key={asset.id} asset={asset} />
        ))}
        {assets.isSuccess && items.length === 0 && <li className="muted">No assets here.</li>}
      </ul>
      <div className="sch-lib__foot muted">
        {items.length} of {total}
        {assets.hasNextPage && (
          <button
            type="button"
            className="button sch-small"
            disabled={assets.isFetchingNextPage}
            onClick={() => void assets.fetchNextPage()}
          >
            More
          </button>
        )}
      </div>
    </aside>
  );
}
