import { useEffect, useState } from 'react';
import type { OutputsSettings, PlayoutStatus } from '../../../src-shared/contract';
import { mediaUrl } from '../../app/api/media';
import { useOutputsSettings, useSaveOutputsSettings } from './queries';

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,200}$/;

/** `?key=…` when the station requires a key on its public outputs, else ''. */
export function keyQuery(settings: OutputsSettings | undefined): string {
  return settings?.requireKey ? `?key=${encodeURIComponent(settings.key)}` : '';
}

/** 24 random bytes as base64url: 32 characters the URL carries as they are. */
export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * The channel's public outputs as absolute links: the page's origin in a browser, the core's
 * HTTP server (from `mediaAccess`) in the desktop app. These need no token.
 */
export function outputLinks(slug: string, settings: OutputsSettings | undefined) {
  const q = keyQuery(settings);
  const channel = `/channels/${encodeURIComponent(slug)}`;
  return [
    { name: 'master', label: 'HLS master', path: `${channel}/index.m3u8${q}` },
    { name: 'main', label: 'HLS main', path: `${channel}/main.m3u8${q}` },
    { name: 'proxy', label: 'HLS proxy', path: `${channel}/proxy.m3u8${q}` },
    { name: 'live-ts', label: 'Live TS', path: `${channel}/live.ts${q}` },
    { name: 'm3u', label: 'IPTV M3U', path: `/iptv/channels.m3u${q}` },
    { name: 'epg', label: 'XMLTV EPG', path: `/iptv/epg.xml${q}` },
    { name: 'discover', label: 'HDHomeRun', path: `/discover.json${q}` },
  ].map((link) => ({ ...link, url: mediaUrl(link.path) }));
}

function CopyLink({ name, label, url }: { name: string; label: string; url: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <li className="cc-output">
      <span className="cc-output__label">{label}</span>
      <a
        className="cc-output__url mono"
        href={url}
        target="_blank"
        rel="noreferrer"
        data-testid={`output-link-${name}`}
      >
        {url}
      </a>
      <button
        type="button"
        className="button cc-button--small"
        aria-label={`Copy the ${label} link`}
        onClick={() =>
          void navigator.clipboard.writeText(url).then(
            () => setCopied('yes'),
            () => setCopied('no'),
          )
        }
      >
        {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy failed' : 'Copy'}
      </button>
    </li>
  );
}

function KeySettings({ settings }: { settings: OutputsSettings }) {
  const save = useSaveOutputsSettings();
  const [draft, setDraft] = useState(settings);
  // Another window's change (the event) replaces an untouched draft.
  const [base, setBase] = useState(settings);
  if (base !== settings) {
    setBase(settings);
    setDraft(settings);
  }
  const dirty = draft.requireKey !== settings.requireKey || draft.key !== settings.key;
  const invalid = draft.requireKey && !KEY_PATTERN.test(draft.key);
  return (
    <form
      className="cc-key"
      data-testid="outputs-key-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid) save.mutate(draft);
      }}
    >
      <label className="cc-check">
        <input
          type="checkbox"
          data-testid="outputs-require-key"
          checked={draft.requireKey}
          onChange={(event) => {
            const requireKey = event.target.checked;
            setDraft({
              requireKey,
              key: requireKey && !draft.key ? generateKey() : draft.key,
            });
          }}
        />
        <span>Require a key in the URL (station-wide: HLS, live TS, M3U, EPG, tuner)</span>
      </label>
      <div className="cc-key__row">
        <input
          type="text"
          aria-label="Output key"
          data-testid="outputs-key"
          className="mono"
          spellCheck={false}
          autoComplete="off"
          value={draft.key}
          onChange={(event) => setDraft({ ...draft, key: event.target.value })}
        />
        <button
          type="button"
          className="button"
          data-testid="outputs-generate-key"
          onClick={() => setDraft({ ...draft, key: generateKey() })}
        >
          Generate
        </button>
        <button
          type="submit"
          className="button button--primary"
          data-testid="outputs-save"
          disabled={!dirty || invalid || save.isPending}
        >
          Save
        </button>
      </div>
      {invalid && <p className="field__hint">A key is 8+ characters of letters, digits, - or _.</p>}
      {save.isError && <p className="form-error">{save.error.message}</p>}
      {settings.requireKey && (
        <p className="field__hint">
          Players without the key get 401. HDHomeRun clients take the tuner address{' '}
          <code>{mediaUrl(`/k/${encodeURIComponent(settings.key)}`)}</code>.
        </p>
      )}
    </form>
  );
}

export function OutputsPanel({ status }: { status: PlayoutStatus }) {
  const settings = useOutputsSettings();
  const links = outputLinks(status.slug, settings.data);
  return (
    <section className="cc-outputs" data-testid="outputs-panel" aria-label="Outputs">
      <h2 className="eyebrow">Outputs of {status.name}</h2>
      <p className="muted">
        Public: no access token. {status.onAir ? 'On air now.' : 'Off air: these answer 503.'}
      </p>
      <ul className="cc-outputs__list">
        {links.map((link) => (
          <CopyLink key={link.name} name={link.name} label={link.label} url={link.url} />
        ))}
      </ul>
      <h2 className="eyebrow">Access key</h2>
      {settings.data ? (
        <KeySettings settings={settings.data} />
      ) : settings.isError ? (
        <p className="form-error">{settings.error.message}</p>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
