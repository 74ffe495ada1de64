import type { libraryMethods } from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import type { IngestService } from '../ingest/types';
import { createWatchService, type WatchOptions, type WatchService } from '../watch/watch-service';
import { createPathGuard, defaultAllowedRoots, type PathGuard } from './allowed-roots';
import { createAssetSummaryReader } from './asset-summary';
import { createLibraryService, type LibraryCore } from './library-service';

export type LibraryService = LibraryCore & { watch: WatchService };

export type LibraryFeatureOptions = {
  watch?: WatchOptions;
  /** Where import and watch folders may lie; default `<data>/import` only. */
  allowedPaths?: PathGuard;
};

type LibraryMethod = keyof typeof libraryMethods;

/** The library's contract handlers and lifecycle (watch folders run between start and close). */
export function createLibraryFeature(
  context: CoreContext,
  ingest: IngestService,
  options: LibraryFeatureOptions = {},
): Feature<LibraryMethod> & { library: LibraryService } {
  const core = createLibraryService(context, ingest);
  const allowedPaths =
    options.allowedPaths ?? createPathGuard(() => defaultAllowedRoots(context.dataDir, 'headless'));
  const watch = createWatchService(context, core, ingest, { ...options.watch, allowedPaths });
  core.onFolderDeleted(() => void watch.sync());
  const summary = createAssetSummaryReader(context.db);
  const current = (id: number) => {
    const found = summary(id);
    if (!found) throw new AppError('not_found', `Asset ${id} does not exist.`);
    return found;
  };

  return {
    library: Object.assign(core, { watch }),
    handlers: {
      libraryFolders: () => core.folders(),
      libraryCreateFolder: ({ parentId, name }) => core.createFolder(parentId, name),
      libraryRenameFolder: ({ id, name }) => core.renameFolder(id, name),
      libraryMoveFolder: ({ id, parentId }) => core.moveFolder(id, parentId),
      libraryDeleteFolder: ({ id }) => core.deleteFolder(id),
      libraryFolderPath: ({ path, create }) => core.folderByPath(path, create),
      libraryQuery: (query) => core.query(query),
      libraryAsset: ({ id }) => core.asset(id),
      libraryRenameAsset: ({ id, name }) => core.renameAsset(id, name),
      librarySetTags: ({ id, tags }) => core.setTags(id, tags),
      libraryMoveAssets: async ({ ids, folderId }) => ({ moved: core.moveAssets(ids, folderId) }),
      libraryDeleteAssets: ({ ids, force }) => core.deleteAssets(ids, force),
      libraryImportPaths: async ({ paths, folderId }) => ({
        assets: await core.importPaths(paths, folderId, allowedPaths),
      }),
      ingestRetry: ({ id }) => {
        current(id);
        ingest.retry(id);
        return current(id);
      },
      ingestCancel: async ({ id }) => {
        current(id);
        await ingest.cancel(id);
        return current(id);
      },
      watchFoldersList: () => watch.list(),
      watchFoldersAdd: ({ diskPath, folderId }) => watch.add(diskPath, folderId),
      watchFoldersRemove: ({ id }) => watch.remove(id),
    },
    start: () => watch.start(),
    close: () => watch.close(),
  };
}
