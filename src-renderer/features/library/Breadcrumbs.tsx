import type { Folder } from '../../../src-shared/contract';
import type { LibraryActions } from './actions';
import { useFolderDropTarget } from './FolderTree';
import { openFolder } from './store';

function Crumb({
  folder,
  folders,
  actions,
  isLast,
}: {
  folder: Folder;
  folders: Folder[];
  actions: LibraryActions;
  isLast: boolean;
}) {
  const drop = useFolderDropTarget(folder, folders, actions);
  return (
    <li className={`breadcrumbs__item${drop.over ? ' is-drop-target' : ''}`} {...drop.handlers}>
      {isLast ? (
        <span aria-current="location" data-testid={`crumb-${folder.id}`}>
          {folder.name}
        </span>
      ) : (
        <button
          type="button"
          className="breadcrumbs__link"
          data-testid={`crumb-${folder.id}`}
          onClick={() => openFolder(folder.id)}
        >
          {folder.name}
        </button>
      )}
    </li>
  );
}

/** Where the operator is; every step is a link and a drop target. */
export function Breadcrumbs({
  path,
  folders,
  actions,
}: {
  path: Folder[];
  folders: Folder[];
  actions: LibraryActions;
}) {
  return (
    <nav className="breadcrumbs" aria-label="Folder path" data-testid="breadcrumbs">
      <ol>
        {path.map((folder, i) => (
          <Crumb
            key={folder.id}
            folder={folder}
            folders={folders}
            actions={actions}
            isLast={i === path.length - 1}
          />
        ))}
      </ol>
    </nav>
  );
}
