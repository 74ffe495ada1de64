import type { KeyboardEvent } from 'react';
import { useStorageLocations } from '../storage/queries';
import { openStorage, useLibraryUi } from './store';

/** Storage locations under the library's folders: each opens like a folder. */
export function StorageTree() {
  const { data: locations, error } = useStorageLocations();
  const current = useLibraryUi((ui) => ui.storage?.locationId ?? null);
  if (error) return <p className="form-error">Storage is unavailable: {error.message}</p>;
  if (!locations) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = locations.findIndex((l) => l.id === current);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    const next = locations[at + step];
    if (step === 0 || !next) return;
    event.preventDefault();
    openStorage(next.id);
    const tree = event.currentTarget;
    requestAnimationFrame(() =>
      tree.querySelector<HTMLElement>(`[data-location-id="${next.id}"]`)?.focus(),
    );
  };

  return (
    <nav className="storage-tree" aria-label="Storage" data-testid="storage-tree">
      <h2 className="storage-tree__title">Storage</h2>
      {locations.length === 0 ? (
        <p className="storage-tree__empty muted">
          No S3 locations. Add one in <a href="#/settings">Settings</a>.
        </p>
      ) : (
        <div role="tree" aria-label="Storage locations" onKeyDown={onKeyDown}>
          {locations.map((location) => {
            const isCurrent = location.id === current;
            return (
              <div
                key={location.id}
                role="treeitem"
                aria-level={1}
                aria-selected={isCurrent}
                aria-label={location.name}
                tabIndex={isCurrent || (current === null && location === locations[0]) ? 0 : -1}
                data-location-id={location.id}
                data-testid={`storage-node-${location.id}`}
                className={`folder-node storage-node${isCurrent ? ' is-current' : ''}`}
                title={`${location.endpoint ?? `AWS ${location.region}`} · ${location.bucket}/${location.prefix}`}
                onClick={() => openStorage(location.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') openStorage(location.id);
                }}
              >
                <svg className="folder-node__icon" viewBox="0 0 24 24" aria-hidden="true">
                  <ellipse cx="12" cy="6" rx="8" ry="3" />
                  <path d="M4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" />
                </svg>
                <span className="folder-node__name">{location.name}</span>
              </div>
            );
          })}
        </div>
      )}
    </nav>
  );
}
