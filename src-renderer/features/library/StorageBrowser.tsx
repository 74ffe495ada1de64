import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { Folder, StorageLocation, StorageObject } from '../../../src-shared/contract';
import { useDownload } from '../storage/download-store';
import { useBrowse, useStorageMutations } from '../storage/queries';
import type { FolderIndex } from './folder-model';
import { formatBytes, formatPercent } from './format';
import { useAssetDetail } from './queries';
import { StateBadge } from './StateBadge';
import '../storage/storage.css';
import { openFolder, openStorage, selectOnly, showNotice, type StoragePlace } from './store';

const ROW_HEIGHT = 40;

type Row =
  { kind: 'folder'; prefix: string; name: string } | { kind: 'object'; object: StorageObject };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const pad = (n: number) => String(n).padStart(2, '0');

/** 2026-11-21 10:23 in this computer's zone: short enough for a column, sorts as it reads. */
function formatDate(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The asset an object became: its ingest state, patched live by `assetChanged`. */
function ImportedState({ assetId }: { assetId: number }) {
  const detail = useAssetDetail(assetId);
  const asset = detail.data;
  if (!asset) return <span className="muted">In library</span>;
  return (
    <span className="storage-imported">
      <StateBadge asset={asset} testId={`storage-asset-state-${assetId}`} />
      <button
        type="button"
        className="storage-imported__show"
        title={`Show “${asset.name}” in the library`}
        onClick={(event) => {
          event.stopPropagation();
          openFolder(asset.folderId);
          selectOnly(asset.id);
        }}
      >
        Show
      </button>
    </span>
  );
}

/** Download progress while the cache fetches the object, then what the library made of it. */
function ObjectState({ locationId, object }: { locationId: number; object: StorageObject }) {
  const download = useDownload(locationId, object.key);
  if (download && (download.state === 'downloading' || download.state === 'verifying')) {
    const fraction = download.totalBytes ? download.receivedBytes / download.totalBytes : 0;
    const verb = download.state === 'verifying' ? 'Verifying' : 'Downloading';
    return (
      <div className="storage-download" data-testid="storage-download" data-state={download.state}>
        <span>
          {verb}{' '}
          {download.totalBytes ? formatPercent(fraction) : formatBytes(download.receivedBytes)}
        </span>
        <span
          className="download-bar"
          role="progressbar"
          aria-label={`${verb} ${object.name}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
        >
          <span style={{ width: formatPercent(fraction) }} />
        </span>
      </div>
    );
  }
  if (download?.state === 'failed' && object.assetId === null) {
    return <span className="form-error">Download failed: {download.error}</span>;
  }
  if (object.assetId !== null) return <ImportedState assetId={object.assetId} />;
  return <span className="muted">Not imported{object.cached ? ' · cached' : ''}</span>;
}

function PrefixCrumbs({ location, prefix }: { location: StorageLocation; prefix: string }) {
  const parts = prefix.split('/').filter(Boolean);
  const crumbs = [
    { name: location.name, prefix: '' },
    ...parts.map((name, i) => ({ name, prefix: `${parts.slice(0, i + 1).join('/')}/` })),
  ];
  return (
    <nav className="breadcrumbs" aria-label="Storage path" data-testid="storage-breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => (
          <li key={crumb.prefix} className="breadcrumbs__item">
            {i === crumbs.length - 1 ? (
              <span aria-current="location">{crumb.name}</span>
            ) : (
              <button
                type="button"
                className="breadcrumbs__link"
                onClick={() => openStorage(location.id, crumb.prefix)}
              >
                {crumb.name}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * One folder of a storage location in the file manager: sub-folders open like library folders;
 * objects are picked and imported as assets into a library folder (no copy into the library:
 * the cache fetches them). The list is virtualized and loads further pages as it scrolls.
 */
export function StorageBrowser({
  place,
  location,
  folders,
  index,
  defaultFolderId,
}: {
  place: StoragePlace;
  location: StorageLocation | undefined;
  folders: Folder[];
  index: FolderIndex;
  defaultFolderId: number;
}) {
  const browse = useBrowse(place.locationId, place.prefix);
  const m = useStorageMutations();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const [targetId, setTargetId] = useState(defaultFolderId);
  const scrollRef = useRef<HTMLDivElement>(null);

  const rows = useMemo<Row[]>(() => {
    const pages = browse.data?.pages ?? [];
    return [
      ...pages.flatMap((page) =>
        page.folders.map((f): Row => ({ kind: 'folder', prefix: f.prefix, name: f.name })),
      ),
      ...pages.flatMap((page) => page.objects.map((object): Row => ({ kind: 'object', object }))),
    ];
  }, [browse.data]);
  const objectKeys = useMemo(
    () => rows.flatMap((row) => (row.kind === 'object' ? [row.object.key] : [])),
    [rows],
  );
  const folderCount = rows.length - objectKeys.length;

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows[virtualRows.length - 1]?.index ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = browse;
  useEffect(() => {
    if (lastIndex >= rows.length - 40 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const folderPaths = useMemo(
    () =>
      folders
        .map((f) => ({
          id: f.id,
          path: index
            .pathTo(f.id)
            .map((p) => p.name)
            .join(' / '),
        }))
        .sort((a, b) => a.path.localeCompare(b.path)),
    [folders, index],
  );
  const target = folderPaths.find((f) => f.id === targetId) ?? folderPaths[0];

  const pick = (key: string, event: MouseEvent) => {
    if (event.shiftKey && anchor !== null) {
      const [a, b] = [objectKeys.indexOf(anchor), objectKeys.indexOf(key)].sort((x, y) => x - y);
      if (a !== undefined && b !== undefined && a >= 0) {
        setSelected(new Set(objectKeys.slice(a, b + 1)));
        return;
      }
    }
    if (event.ctrlKey || event.metaKey) {
      toggle(key);
      return;
    }
    setSelected(new Set([key]));
    setAnchor(key);
  };
  const toggle = (key: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
    setAnchor(key);
  };

  const importSelected = () => {
    if (!target) return;
    const keys = objectKeys.filter((key) => selected.has(key));
    m.importObjects.mutate(
      { locationId: place.locationId, keys, folderId: target.id },
      {
        onSuccess: ({ assets }) => {
          const failed = assets.filter((a) => a.error !== null);
          if (failed.length > 0) {
            showNotice('error', failed.map((a) => `${a.key}: ${a.error}`).join(' · '));
          } else {
            showNotice('info', `Importing ${plural(assets.length, 'object')} into ${target.path}.`);
          }
          setSelected(new Set());
        },
        onError: (error) => showNotice('error', `Could not import: ${error.message}`),
      },
    );
  };

  const allSelected = objectKeys.length > 0 && objectKeys.every((key) => selected.has(key));
  const emptyText = browse.isPending
    ? 'Loading…'
    : browse.error
      ? `This location cannot be listed: ${browse.error.message}`
      : 'This folder is empty.';

  return (
    <div className="storage-browser" data-testid="storage-browser">
      <div className="library-main__bar">
        {location ? (
          <PrefixCrumbs location={location} prefix={place.prefix} />
        ) : (
          <span className="muted">Storage location {place.locationId}</span>
        )}
        <span className="library-main__count muted" data-testid="storage-count" aria-live="polite">
          {browse.isFetching && !isFetchingNextPage ? 'Updating… ' : ''}
          {folderCount > 0 ? `${plural(folderCount, 'folder')} · ` : ''}
          {plural(objectKeys.length, 'object')}
          {hasNextPage ? '+' : ''}
          {selected.size > 0 ? ` · ${selected.size} selected` : ''}
        </span>
      </div>
      <div className="storage-browser__actions">
        <label className="storage-browser__target">
          <span>Import into</span>
          <select
            data-testid="storage-import-folder"
            value={target?.id ?? ''}
            onChange={(event) => setTargetId(Number(event.target.value))}
          >
            {folderPaths.map((f) => (
              <option key={f.id} value={f.id}>
                {f.path}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="tool-button tool-button--primary"
          data-testid="storage-import"
          disabled={selected.size === 0 || !target || m.importObjects.isPending}
          onClick={importSelected}
        >
          {m.importObjects.isPending
            ? 'Importing…'
            : `Import ${selected.size > 0 ? plural(selected.size, 'object') : 'selected'}`}
        </button>
        <button
          type="button"
          className="tool-button"
          data-testid="storage-refresh"
          disabled={browse.isFetching}
          onClick={() => void browse.refetch()}
          title="List the bucket again (objects added by other uploaders appear)"
        >
          Refresh
        </button>
      </div>
      <div className="storage-list-head" role="row">
        <span>
          <input
            type="checkbox"
            aria-label="Select every object"
            checked={allSelected}
            disabled={objectKeys.length === 0}
            onChange={() => setSelected(allSelected ? new Set() : new Set(objectKeys))}
          />
        </span>
        <span>Name</span>
        <span>Size</span>
        <span>Modified</span>
        <span>In library</span>
      </div>
      <div
        ref={scrollRef}
        className="asset-pane storage-pane"
        role="grid"
        aria-label="Objects"
        aria-rowcount={rows.length}
        aria-multiselectable="true"
        data-testid="storage-pane"
      >
        {rows.length === 0 && <p className="asset-pane__empty">{emptyText}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualRows.map((virtualRow) => {
            const row = rows[virtualRow.index]!;
            const style = { transform: `translateY(${virtualRow.start}px)`, height: ROW_HEIGHT };
            if (row.kind === 'folder') {
              return (
                <div
                  key={`folder:${row.prefix}`}
                  role="row"
                  aria-rowindex={virtualRow.index + 1}
                  className="storage-row storage-row--folder"
                  data-testid="storage-folder"
                  data-prefix={row.prefix}
                  style={style}
                  tabIndex={-1}
                  onDoubleClick={() => openStorage(place.locationId, row.prefix)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') openStorage(place.locationId, row.prefix);
                  }}
                >
                  <span />
                  <button
                    type="button"
                    className="storage-row__folder"
                    onClick={() => openStorage(place.locationId, row.prefix)}
                  >
                    <svg className="folder-node__icon" viewBox="0 0 24 24" aria-hidden="true">
                      <path d="M3 6.5V18a1.5 1.5 0 0 0 1.5 1.5h15A1.5 1.5 0 0 0 21 18V9a1.5 1.5 0 0 0-1.5-1.5h-8L9.5 5h-5A1.5 1.5 0 0 0 3 6.5Z" />
                    </svg>
                    {row.name}
                  </button>
                  <span />
                  <span />
                  <span />
                </div>
              );
            }
            const { object } = row;
            const isSelected = selected.has(object.key);
            return (
              <div
                key={`object:${object.key}`}
                role="row"
                aria-rowindex={virtualRow.index + 1}
                aria-selected={isSelected}
                className={`storage-row${isSelected ? ' is-selected' : ''}`}
                data-testid="storage-object"
                data-key={object.key}
                data-imported={object.assetId !== null}
                style={style}
                onClick={(event) => pick(object.key, event)}
              >
                <span role="gridcell" onClick={(event) => event.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${object.name}`}
                    checked={isSelected}
                    onChange={() => toggle(object.key)}
                  />
                </span>
                <span role="gridcell" className="storage-row__name" title={object.key}>
                  {object.name}
                </span>
                <span role="gridcell" className="mono">
                  {formatBytes(object.size)}
                </span>
                <span role="gridcell" className="mono">
                  {formatDate(object.lastModified)}
                </span>
                <span role="gridcell">
                  <ObjectState locationId={place.locationId} object={object} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
