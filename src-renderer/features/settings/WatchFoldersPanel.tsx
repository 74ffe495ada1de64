import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Folder, WatchFolder } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { useFolders } from '../library/queries';

const watchFoldersKey = ['settings', 'watchFolders'] as const;

/** "Library / News / 2026" for every folder, for a select that reads like the tree. */
function folderPaths(folders: Folder[]): Map<number, string> {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const paths = new Map<number, string>();
  const pathOf = (folder: Folder): string => {
    const known = paths.get(folder.id);
    if (known) return known;
    const parent = folder.parentId === null ? undefined : byId.get(folder.parentId);
    const path = parent ? `${pathOf(parent)} / ${folder.name}` : folder.name;
    paths.set(folder.id, path);
    return path;
  };
  folders.forEach(pathOf);
  return paths;
}

/** Disk folders whose new files are imported into the library once they stop growing. */
export function WatchFoldersPanel() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { data: watchFolders } = useQuery({
    queryKey: watchFoldersKey,
    queryFn: () => api.call('watchFoldersList', {}),
  });
  const { data: folders = [] } = useFolders();
  const paths = useMemo(() => folderPaths(folders), [folders]);
  const [diskPath, setDiskPath] = useState('');
  const [folderId, setFolderId] = useState(1);

  // The core announces every change (added here, in another window, or a folder going missing).
  useEffect(
    () =>
      api.on('watchFoldersChanged', ({ watchFolders: list }) =>
        queryClient.setQueryData<WatchFolder[]>(watchFoldersKey, list),
      ),
    [api, queryClient],
  );

  const add = useMutation({
    mutationFn: () => api.call('watchFoldersAdd', { diskPath: diskPath.trim(), folderId }),
    onSuccess: () => setDiskPath(''),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.call('watchFoldersRemove', { id }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <section className="settings" data-testid="watch-folders">
      <header>
        <h2 className="settings__title">Watch folders</h2>
        <p className="field__hint">
          Files copied into these folders on the Airdeck machine are imported once they stop
          growing; renames and deletions are followed, and nothing is imported twice.
        </p>
      </header>
      {watchFolders && watchFolders.length > 0 ? (
        <ul className="watch-list">
          {watchFolders.map((watch) => (
            <li key={watch.id} className="watch-list__row" data-testid={`watch-${watch.id}`}>
              <span className={`watch-list__state ${watch.watching ? 'is-ok' : 'is-bad'}`}>
                {watch.watching ? 'Watching' : 'Not watching'}
              </span>
              <span className="watch-list__path">{watch.diskPath}</span>
              <span className="muted">
                → {paths.get(watch.folderId) ?? `folder ${watch.folderId}`}
              </span>
              {watch.error && <span className="form-error">{watch.error}</span>}
              <button
                type="button"
                className="button"
                onClick={() => remove.mutate(watch.id)}
                disabled={remove.isPending}
              >
                Stop watching
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No watch folders.</p>
      )}
      <form className="watch-form" onSubmit={submit} noValidate>
        <label className="field">
          <span className="field__label">Folder on disk</span>
          <input
            data-testid="watch-path"
            placeholder="/srv/incoming/news"
            value={diskPath}
            onChange={(event) => {
              add.reset();
              setDiskPath(event.target.value);
            }}
          />
        </label>
        <label className="field">
          <span className="field__label">Import into</span>
          <select
            data-testid="watch-folder"
            value={folderId}
            onChange={(event) => setFolderId(Number(event.target.value))}
          >
            {[...paths.entries()]
              .sort((a, b) => a[1].localeCompare(b[1]))
              .map(([id, path]) => (
                <option key={id} value={id}>
                  {path}
                </option>
              ))}
          </select>
        </label>
        <div className="settings__actions">
          <button
            type="submit"
            className="button button--primary"
            data-testid="watch-add"
            disabled={diskPath.trim() === '' || add.isPending}
          >
            Watch this folder
          </button>
          {add.isError && (
            <p className="form-error" role="alert" data-testid="watch-error">
              {add.error.message}
            </p>
          )}
          {remove.isError && (
            <p className="form-error" role="alert">
              {remove.error.message}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}
