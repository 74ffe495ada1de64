import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { AssetSummary } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { isDesktop } from '../../app/api/media';
import { applyAssetChanged } from './cache';
import { useLibraryMutations } from './queries';
import { popLibraryUndo, pushLibraryUndo, setExpanded, showNotice, stopRename } from './store';
import { importDesktopFiles, takeDroppedItems, uploadDroppedItems, uploadFiles } from './upload';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What the operator can do in the library, each reporting its outcome in words. Components call
 * these; none of them talks to the API directly.
 */
export function useLibraryActions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const m = useLibraryMutations();

  return useMemo(() => {
    const fail = (what: string) => (error: Error) =>
      showNotice('error', `${what}: ${error.message}`);
    const uploaded = (asset: AssetSummary) => applyAssetChanged(queryClient, asset);
    /** The Upload button and OS drops: HTTP upload in a browser, paths on the desktop. */
    const importFiles = (files: File[], folderId: number) => {
      if (files.length === 0) return;
      if (isDesktop()) {
        importDesktopFiles(api, files, folderId).then(
          ({ imported, errors }) =>
            errors.length > 0
              ? showNotice('error', errors.join(' · '))
              : showNotice('info', `Importing ${plural(imported, 'file')}.`),
          fail('Could not import'),
        );
        return;
      }
      uploadFiles(
        files.map((file) => ({ file, folderId })),
        uploaded,
      );
    };
    /** F2 in place: the old name goes on the undo stack, unless this is the undo itself. */
    function renameAsset(id: number, name: string, current: string, undoing = false) {
      stopRename();
      const trimmed = name.trim();
      if (!trimmed || trimmed === current) return;
      m.renameAsset.mutate(
        { id, name: trimmed },
        {
          onSuccess: (asset) => {
            applyAssetChanged(queryClient, asset);
            if (undoing) {
              showNotice('info', `Renamed back to “${asset.name}”.`);
              return;
            }
            pushLibraryUndo({
              label: `rename of “${current}”`,
              run: () => renameAsset(id, current, asset.name, true),
            });
            showNotice('info', `Renamed “${current}” to “${asset.name}” (Ctrl+Z undoes).`);
          },
          onError: fail(`Could not rename “${current}”`),
        },
      );
    }
    return {
      mutations: m,
      moveAssets(ids: number[], folderId: number, folderName: string) {
        m.moveAssets.mutate(
          { ids, folderId },
          {
            onSuccess: ({ moved }) =>
              showNotice('info', `Moved ${plural(moved, 'asset')} to ${folderName}.`),
            onError: fail('Could not move'),
          },
        );
      },
      moveFolder(id: number, parentId: number) {
        m.moveFolder.mutate(
          { id, parentId },
          {
            onSuccess: () => setExpanded(parentId, true),
            onError: fail('Could not move the folder'),
          },
        );
      },
      renameAsset,
      /** Takes back the last rename made in this window. */
      undo() {
        const entry = popLibraryUndo();
        if (entry) entry.run();
        else showNotice('info', 'Nothing to undo.');
      },
      setTags(id: number, tags: string[]) {
        m.setTags.mutate(
          { id, tags },
          {
            onSuccess: (asset) => applyAssetChanged(queryClient, asset),
            onError: fail('Could not save the tags'),
          },
        );
      },
      retryIngest(ids: number[]) {
        for (const id of ids) {
          m.retryIngest.mutate(id, {
            onSuccess: (asset) => applyAssetChanged(queryClient, asset),
            onError: fail('Could not retry the ingest'),
          });
        }
      },
      cancelIngest(ids: number[]) {
        for (const id of ids) {
          m.cancelIngest.mutate(id, {
            onSuccess: (asset) => applyAssetChanged(queryClient, asset),
            onError: fail('Could not cancel the ingest'),
          });
        }
      },
      createFolder(
        parentId: number,
        name: string,
        onDone: () => void,
        onError: (e: Error) => void,
      ) {
        m.createFolder.mutate(
          { parentId, name },
          {
            onSuccess: (folder) => {
              setExpanded(parentId, true);
              showNotice('info', `Created folder “${folder.name}”.`);
              onDone();
            },
            onError,
          },
        );
      },
      importFiles,
      /** A drop from the operating system (files and folders). Call during the drop event. */
      importDrop(transfer: DataTransfer, folderId: number) {
        const dropped = takeDroppedItems(transfer);
        if (isDesktop()) {
          // The desktop core walks dropped folders itself.
          importFiles(dropped.files, folderId);
          return;
        }
        dropped
          .read()
          .then((items) => uploadDroppedItems(api, items, folderId, uploaded))
          .catch(fail('Could not read the dropped files'));
      },
    };
  }, [api, queryClient, m]);
}
export type LibraryActions = ReturnType<typeof useLibraryActions>;
