import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import { ApiError } from '../../app/api/api-client';
import { Dialog, Field, FieldError } from '../../ui';
import { queryKeys } from '../../app/api/query-keys';
import type { LibraryActions } from './actions';
import { applyAssetsRemoved } from './cache';
import type { FolderIndex } from './folder-model';
import {
  clearSelection,
  closeDialog,
  openFolder,
  showNotice,
  useLibraryUi,
  type DialogState,
} from './store';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The library's dialogs: Cancel and confirm keep the test ids the specs use. */
function LibraryModal({
  title,
  testId,
  children,
  onSubmit,
  confirm,
  busy,
  danger,
  disabled,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  onSubmit: () => void;
  confirm: string;
  busy?: boolean;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <Dialog
      title={title}
      testId={testId}
      onClose={closeDialog}
      onSubmit={onSubmit}
      submitLabel={confirm}
      submitDisabled={disabled}
      busy={busy}
      tone={danger ? 'danger' : undefined}
      role={danger ? 'alertdialog' : 'dialog'}
      // A destructive question starts on its answer, so Enter confirms and Escape cancels.
      initialFocus={danger ? '[data-dialog-confirm]:not(:disabled)' : undefined}
      cancelTestId="dialog-cancel"
      submitTestId="dialog-confirm"
    >
      {children}
    </Dialog>
  );
}

function ErrorLine({ error, testId = 'dialog-error' }: { error: string | null; testId?: string }) {
  return <FieldError testId={testId}>{error}</FieldError>;
}

function DeleteAssetsDialog({
  ids,
  assets,
  actions,
}: {
  ids: number[];
  assets: AssetSummary[];
  actions: LibraryActions;
}) {
  const queryClient = useQueryClient();
  const [conflict, setConflict] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const del = actions.mutations.deleteAssets;
  const names = ids.map((id) => assets.find((a) => a.id === id)?.name ?? `#${id}`);
  const run = (force: boolean) => {
    setError(null);
    del.mutate(
      { ids, force },
      {
        onSuccess: ({ deleted }) => {
          // With `force` the core keeps what is scheduled; its assetsRemoved event says which went.
          if (!force) applyAssetsRemoved(queryClient, ids);
          clearSelection();
          closeDialog();
          const kept = ids.length - deleted;
          showNotice(
            'info',
            `Deleted ${plural(deleted, 'asset')}.${kept > 0 ? ` ${plural(kept, 'scheduled asset')} kept.` : ''}`,
          );
        },
        onError: (e) => {
          // The core refuses to delete what the schedule uses and says where: show it, never force.
          if (e instanceof ApiError && e.code === 'conflict') {
            setConflict(e.message);
            // Usage is not pushed by events: the details panel asks again to list where.
            for (const id of ids) {
              void queryClient.invalidateQueries({
                queryKey: queryKeys.libraryAsset(id),
                exact: true,
              });
            }
          } else setError(e.message);
        },
      },
    );
  };
  // After a refusal, several assets can still go without the scheduled ones; one cannot.
  const canDeleteOthers = conflict !== null && ids.length > 1;
  return (
    <LibraryModal
      title={ids.length === 1 ? `Delete “${names[0]}”?` : `Delete ${ids.length} assets?`}
      testId="confirm-dialog"
      danger
      onSubmit={() => run(conflict !== null)}
      confirm={conflict ? 'Delete the others' : 'Delete'}
      busy={del.isPending}
      disabled={conflict !== null && !canDeleteOthers}
    >
      <p>
        {ids.length === 1 ? 'The asset' : 'These assets'}, {ids.length === 1 ? 'its' : 'their'}{' '}
        renditions, poster and filmstrip are removed from the library. This cannot be undone.
      </p>
      {ids.length > 1 && (
        <ul className="ui-dialog__list">
          {names.slice(0, 8).map((name, i) => (
            <li key={ids[i]}>{name}</li>
          ))}
          {names.length > 8 && <li className="muted">…and {names.length - 8} more</li>}
        </ul>
      )}
      {conflict && (
        <div className="ui-callout" role="alert" data-testid="delete-conflict">
          <strong>In use by the schedule — nothing was deleted.</strong>
          <span>{conflict}</span>
          {canDeleteOthers && (
            <p className="muted">
              “Delete the others” deletes the rest and keeps the scheduled ones.
            </p>
          )}
        </div>
      )}
      <ErrorLine error={error} />
    </LibraryModal>
  );
}

function NameDialog({
  title,
  initial,
  confirm,
  onSave,
  testId,
}: {
  title: string;
  initial: string;
  confirm: string;
  onSave: (name: string, done: () => void, fail: (e: Error) => void) => void;
  testId: string;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <LibraryModal
      title={title}
      testId={testId}
      confirm={confirm}
      busy={busy}
      onSubmit={() => {
        if (!name.trim()) {
          setError('A name is needed.');
          return;
        }
        setBusy(true);
        onSave(
          name.trim(),
          () => closeDialog(),
          (e) => {
            setBusy(false);
            setError(e.message);
          },
        );
      }}
    >
      <Field label="Name">
        <input
          value={name}
          maxLength={255}
          onChange={(e) => setName(e.target.value)}
          data-testid="folder-name-input"
        />
      </Field>
      <ErrorLine error={error} />
    </LibraryModal>
  );
}

function DeleteFolderDialog({
  folderId,
  index,
  actions,
}: {
  folderId: number;
  index: FolderIndex;
  actions: LibraryActions;
}) {
  const folder = index.byId.get(folderId);
  const [conflict, setConflict] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const del = actions.mutations.deleteFolder;
  const count = index.deepCount(folderId);
  const subfolders = index.flatten(folderId).length - 1;
  return (
    <LibraryModal
      title={`Delete folder “${folder?.name ?? folderId}”?`}
      testId="confirm-dialog"
      danger
      confirm="Delete folder"
      busy={del.isPending}
      disabled={conflict !== null}
      onSubmit={() =>
        del.mutate(
          { id: folderId },
          {
            onSuccess: ({ deletedAssets }) => {
              if (useLibraryUi.getState().folderId === folderId && folder?.parentId)
                openFolder(folder.parentId);
              closeDialog();
              showNotice(
                'info',
                `Deleted “${folder?.name}” and ${plural(deletedAssets, 'asset')}.`,
              );
            },
            onError: (e) =>
              e instanceof ApiError && e.code === 'conflict'
                ? setConflict(e.message)
                : setError(e.message),
          },
        )
      }
    >
      <p>
        {count === 0 && subfolders === 0
          ? 'The folder is empty.'
          : `It holds ${plural(count, 'asset')}${subfolders > 0 ? ` in it and ${plural(subfolders, 'sub-folder')}` : ''}; they are deleted with it. This cannot be undone.`}
      </p>
      {conflict && (
        <div className="ui-callout" role="alert" data-testid="delete-conflict">
          <strong>In use by the schedule.</strong> {conflict}
          <p className="muted">Move those assets out first, or take them off the schedule.</p>
        </div>
      )}
      <ErrorLine error={error} />
    </LibraryModal>
  );
}

function MoveDialog({
  ids,
  index,
  actions,
}: {
  ids: number[];
  index: FolderIndex;
  actions: LibraryActions;
}) {
  const current = useLibraryUi((ui) => ui.folderId);
  const [target, setTarget] = useState<number | null>(null);
  const rows = index.flatten();
  return (
    <LibraryModal
      title={`Move ${plural(ids.length, 'asset')} to…`}
      testId="move-dialog"
      confirm="Move"
      disabled={target === null}
      onSubmit={() => {
        const folder = target !== null ? index.byId.get(target) : undefined;
        if (!folder) return;
        actions.moveAssets(ids, folder.id, folder.name);
        closeDialog();
      }}
    >
      <div className="move-list" role="listbox" aria-label="Destination folder">
        {rows.map(({ folder, depth }) => (
          <button
            key={folder.id}
            type="button"
            role="option"
            aria-selected={target === folder.id}
            className="move-list__option"
            style={{ paddingLeft: 10 + depth * 16 }}
            data-testid={`move-target-${folder.id}`}
            onClick={() => setTarget(folder.id)}
            onDoubleClick={() => {
              actions.moveAssets(ids, folder.id, folder.name);
              closeDialog();
            }}
          >
            {folder.name}
            {folder.id === current && <span className="muted"> (here)</span>}
          </button>
        ))}
      </div>
    </LibraryModal>
  );
}

function TagsDialog({
  ids,
  assets,
  actions,
}: {
  ids: number[];
  assets: AssetSummary[];
  actions: LibraryActions;
}) {
  const chosen = assets.filter((a) => ids.includes(a.id));
  const single = chosen.length === 1 ? chosen[0] : undefined;
  const [text, setText] = useState(single ? single.tags.join(', ') : '');
  const parse = (value: string) => [
    ...new Set(
      value
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  return (
    <LibraryModal
      title={single ? `Tags of “${single.name}”` : `Add tags to ${plural(chosen.length, 'asset')}`}
      testId="tags-dialog"
      confirm="Save tags"
      onSubmit={() => {
        const tags = parse(text);
        if (single) actions.setTags(single.id, tags);
        else
          for (const asset of chosen)
            actions.setTags(asset.id, [...new Set([...asset.tags, ...tags])]);
        closeDialog();
      }}
    >
      <Field label="Tags, separated by commas">
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="tags-input"
          placeholder="news, promo, 16:9"
        />
      </Field>
    </LibraryModal>
  );
}

/** Whichever dialog the store says is open. */
export function LibraryDialog({
  dialog,
  assets,
  index,
  actions,
}: {
  dialog: DialogState;
  assets: AssetSummary[];
  index: FolderIndex;
  actions: LibraryActions;
}) {
  switch (dialog.kind) {
    case 'deleteAssets':
      return <DeleteAssetsDialog ids={dialog.ids} assets={assets} actions={actions} />;
    case 'deleteFolder':
      return <DeleteFolderDialog folderId={dialog.folderId} index={index} actions={actions} />;
    case 'moveAssets':
      return <MoveDialog ids={dialog.ids} index={index} actions={actions} />;
    case 'tags':
      return <TagsDialog ids={dialog.ids} assets={assets} actions={actions} />;
    case 'newFolder': {
      const parent = index.byId.get(dialog.parentId);
      return (
        <NameDialog
          title={`New folder in “${parent?.name ?? 'Library'}”`}
          initial="New folder"
          confirm="Create"
          testId="folder-dialog"
          onSave={(name, done, fail) => actions.createFolder(dialog.parentId, name, done, fail)}
        />
      );
    }
    case 'renameFolder': {
      const folder = index.byId.get(dialog.folderId);
      return (
        <NameDialog
          title={`Rename folder “${folder?.name ?? ''}”`}
          initial={folder?.name ?? ''}
          confirm="Rename"
          testId="folder-dialog"
          onSave={(name, done, fail) =>
            actions.mutations.renameFolder.mutate(
              { id: dialog.folderId, name },
              { onSuccess: done, onError: fail },
            )
          }
        />
      );
    }
  }
}
