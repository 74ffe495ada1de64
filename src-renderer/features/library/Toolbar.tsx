import { toggleShortcutHelp, useShortcutStore } from '../../ui';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { AssetState } from '../../../src-shared/contract';
import { parseDurationInput, stateNames } from './format';
import {
  clearFilters,
  openDialog,
  setDirection,
  setFilters,
  setRecursive,
  setSort,
  setView,
  useLibraryPrefs,
  useLibraryUi,
  type SortField,
} from './store';

const SEARCH_DEBOUNCE_MS = 250;

const sortLabels: Record<SortField, string> = {
  name: 'Name',
  createdAt: 'Date added',
  durationMs: 'Duration',
  state: 'State',
  sizeBytes: 'Size',
};

const commonCodecs = ['h264', 'hevc', 'prores', 'dnxhd', 'mpeg2video', 'vp9', 'av1'];

function DurationInput({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  const invalid = parseDurationInput(value) === null;
  return (
    <input
      className="toolbar__duration mono"
      aria-label={label}
      title={`${label} — seconds, m:ss or h:mm:ss`}
      placeholder={label.startsWith('Min') ? 'min' : 'max'}
      aria-invalid={invalid || undefined}
      data-testid={testId}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** Search, filters, sort, view and the ways in (new folder, upload). */
export function Toolbar({
  folderId,
  searchRef,
  uploadRef,
  onUpload,
}: {
  folderId: number;
  searchRef: RefObject<HTMLInputElement | null>;
  uploadRef: RefObject<HTMLInputElement | null>;
  onUpload: (files: File[]) => void;
}) {
  const filters = useLibraryUi((ui) => ui.filters);
  const helpOpen = useShortcutStore((s) => s.helpOpen);
  const view = useLibraryPrefs((prefs) => prefs.view);
  const sort = useLibraryPrefs((prefs) => prefs.sort);
  const direction = useLibraryPrefs((prefs) => prefs.direction);
  const recursive = useLibraryPrefs((prefs) => prefs.recursive);
  const [text, setText] = useState(filters.text);
  const lastApplied = useRef(filters.text);

  // Typing settles for a moment before the core is asked.
  useEffect(() => {
    if (text === lastApplied.current) return;
    const timer = setTimeout(() => {
      lastApplied.current = text;
      setFilters({ text });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const filtered =
    filters.text ||
    filters.tag ||
    filters.state ||
    filters.codec ||
    filters.minDuration ||
    filters.maxDuration;

  return (
    <div className="library-toolbar" role="toolbar" aria-label="Library tools">
      <div className="library-toolbar__group library-toolbar__search">
        <svg viewBox="0 0 24 24" aria-hidden="true" className="library-toolbar__search-icon">
          <circle cx="11" cy="11" r="6" />
          <path d="m20 20-4.5-4.5" />
        </svg>
        <input
          ref={searchRef}
          type="search"
          placeholder="Search names and tags  ( / )"
          aria-label="Search assets"
          data-testid="library-search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              lastApplied.current = text;
              setFilters({ text });
            }
          }}
        />
      </div>

      <div className="library-toolbar__group" role="group" aria-label="Filters">
        <input
          className="toolbar__tag"
          aria-label="Tag"
          placeholder="tag"
          data-testid="filter-tag"
          value={filters.tag}
          onChange={(event) => setFilters({ tag: event.target.value })}
        />
        <select
          aria-label="State"
          data-testid="filter-state"
          value={filters.state}
          onChange={(event) => setFilters({ state: event.target.value as AssetState | '' })}
        >
          <option value="">Any state</option>
          {AssetState.options.map((state) => (
            <option key={state} value={state}>
              {stateNames[state]}
            </option>
          ))}
        </select>
        <input
          className="toolbar__codec"
          aria-label="Video codec"
          placeholder="codec"
          list="library-codecs"
          data-testid="filter-codec"
          value={filters.codec}
          onChange={(event) => setFilters({ codec: event.target.value })}
        />
        <datalist id="library-codecs">
          {commonCodecs.map((codec) => (
            <option key={codec} value={codec} />
          ))}
        </datalist>
        <DurationInput
          label="Minimum duration"
          value={filters.minDuration}
          testId="filter-min-duration"
          onChange={(minDuration) => setFilters({ minDuration })}
        />
        <span className="muted" aria-hidden="true">
          –
        </span>
        <DurationInput
          label="Maximum duration"
          value={filters.maxDuration}
          testId="filter-max-duration"
          onChange={(maxDuration) => setFilters({ maxDuration })}
        />
        {filtered && (
          <button
            type="button"
            className="tool-button"
            onClick={() => {
              lastApplied.current = '';
              setText('');
              clearFilters();
            }}
          >
            Clear
          </button>
        )}
        <label className="library-toolbar__check">
          <input
            type="checkbox"
            checked={recursive}
            onChange={(event) => setRecursive(event.target.checked)}
          />
          Sub-folders
        </label>
      </div>

      <div className="library-toolbar__group" role="group" aria-label="Sort">
        <select
          aria-label="Sort by"
          data-testid="sort-field"
          value={sort}
          onChange={(event) => setSort(event.target.value as SortField, direction)}
        >
          {(Object.keys(sortLabels) as SortField[]).map((field) => (
            <option key={field} value={field}>
              {sortLabels[field]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="tool-button tool-button--icon"
          data-testid="sort-direction"
          aria-label={
            direction === 'asc'
              ? 'Ascending (click for descending)'
              : 'Descending (click for ascending)'
          }
          title={direction === 'asc' ? 'Ascending' : 'Descending'}
          onClick={() => setDirection(direction === 'asc' ? 'desc' : 'asc')}
        >
          {direction === 'asc' ? '↑' : '↓'}
        </button>
      </div>

      <div className="library-toolbar__group segmented-tools" role="radiogroup" aria-label="View">
        {(['list', 'grid'] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={view === mode}
            className="tool-button"
            data-testid={`view-${mode}`}
            onClick={() => setView(mode)}
          >
            {mode === 'list' ? 'List' : 'Grid'}
          </button>
        ))}
      </div>

      <div className="library-toolbar__group library-toolbar__end">
        <button
          type="button"
          className="tool-button"
          data-testid="new-folder"
          title="New folder (Ctrl+Shift+N)"
          onClick={() => openDialog({ kind: 'newFolder', parentId: folderId })}
        >
          New folder
        </button>
        <button
          type="button"
          className="tool-button tool-button--primary"
          data-testid="upload-button"
          title="Upload files into this folder (or drop them on the window)"
          onClick={() => uploadRef.current?.click()}
        >
          Upload…
        </button>
        <input
          ref={uploadRef}
          type="file"
          multiple
          hidden
          accept="video/*,audio/*,.mxf,.mkv,.ts,.m2ts,.mov"
          data-testid="upload-input"
          aria-label="Upload files"
          onChange={(event) => {
            const files = Array.from(event.target.files ?? []);
            event.target.value = '';
            onUpload(files);
          }}
        />
        <div className="help-anchor">
          <button
            type="button"
            className="tool-button tool-button--icon"
            aria-label="Keyboard shortcuts"
            aria-expanded={helpOpen}
            data-testid="shortcuts-button"
            onClick={toggleShortcutHelp}
          >
            ?
          </button>
        </div>
      </div>
    </div>
  );
}
