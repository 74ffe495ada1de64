import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { connectWithToken } from '../../app/api/session';
import { ConnectionStatus } from './ConnectionStatus';
import { useConnectionStore } from './store';
import './connection.css';

/** Full-screen gate for `serve`: nothing from the core is shown until a token is accepted. */
export function TokenPrompt() {
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const tokenCheck = useConnectionStore((store) => store.tokenCheck);
  const checking = tokenCheck === 'checking';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed) connectWithToken(queryClient, trimmed);
  };

  return (
    <main className="token-prompt" data-testid="token-prompt">
      <form className="token-prompt__card" onSubmit={submit}>
        <p className="brand-mark">AIRDECK</p>
        <h1>Access token required</h1>
        <p>
          This control room is served by <code>airdeck serve</code>. When it starts it prints a link
          that carries the token:
        </p>
        <pre>Airdeck ready at http://127.0.0.1:8740/?token=…</pre>
        <p>
          The token is also kept in the <code>serve-token</code> file of the data folder (by default{' '}
          <code>~/.airdeck/serve-token</code>). Open that link, or paste the token here.
        </p>
        <label className="field">
          <span className="field__label">Token</span>
          <input
            data-testid="token-input"
            type="password"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        {tokenCheck === 'rejected' && (
          <p className="form-error" role="alert" data-testid="token-error">
            The core did not accept this token. Check it against the <code>serve-token</code> file.
          </p>
        )}
        <div className="token-prompt__actions">
          <button
            type="submit"
            className="button button--primary"
            data-testid="token-connect"
            disabled={checking || !token.trim()}
          >
            {checking ? 'Connecting…' : 'Connect'}
          </button>
          <ConnectionStatus />
        </div>
      </form>
    </main>
  );
}
