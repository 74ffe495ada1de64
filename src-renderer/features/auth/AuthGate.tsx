import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { signInAndConnect } from '../../app/api/session';
import { Button, Field, FieldError } from '../../ui';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import { AuthError } from './auth-client';
import { useAuthStore } from './store';
import './auth.css';

/** One labelled input of the sign-in and first-run forms, on the kit's Field. */
function AuthField(props: {
  id: string;
  label: string;
  type?: 'text' | 'password';
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  autoFocus?: boolean;
  inputMode?: 'numeric';
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      <input
        id={props.id}
        data-testid={props.id}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        spellCheck={false}
        autoFocus={props.autoFocus}
        inputMode={props.inputMode}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </Field>
  );
}

function Card(props: { title: string; children: ReactNode; onSubmit: (e: FormEvent) => void }) {
  return (
    <main className="auth-gate" data-testid="auth-gate">
      <form className="auth-gate__card" onSubmit={props.onSubmit} aria-labelledby="auth-title">
        <p className="brand-mark" aria-hidden="true">
          AIRDECK
        </p>
        <h1 id="auth-title">{props.title}</h1>
        {props.children}
      </form>
    </main>
  );
}

/** Runs a sign-in attempt, keeping its refusal for the form. */
function useAttempt() {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AuthError | null>(null);
  const run = (attempt: Parameters<typeof signInAndConnect>[1]) => {
    setBusy(true);
    setError(null);
    signInAndConnect(queryClient, attempt)
      .catch((caught: unknown) =>
        setError(
          caught instanceof AuthError ? caught : new AuthError('unavailable', String(caught)),
        ),
      )
      .finally(() => setBusy(false));
  };
  return { busy, error, run };
}

export function SignInScreen() {
  const { notice, lastUsername } = useAuthStore();
  const [username, setUsername] = useState(lastUsername ?? '');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const { busy, error, run } = useAttempt();
  const needsCode = error?.message.includes('6-digit') || totp !== '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) return;
    run((client) =>
      client.signIn({
        username: username.trim(),
        password,
        ...(totp.trim() ? { totp: totp.trim() } : {}),
      }),
    );
  };

  return (
    <Card title="Sign in" onSubmit={submit}>
      {notice && (
        <p className="auth-gate__notice" role="status" data-testid="auth-notice">
          {notice}
        </p>
      )}
      <AuthField
        id="signin-username"
        label="Username"
        autoComplete="username"
        value={username}
        onChange={setUsername}
        autoFocus={!lastUsername}
      />
      <AuthField
        id="signin-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        autoFocus={Boolean(lastUsername)}
      />
      {needsCode && (
        <AuthField
          id="signin-totp"
          label="Authenticator code"
          autoComplete="one-time-code"
          inputMode="numeric"
          value={totp}
          onChange={setTotp}
          hint="The 6-digit code your authenticator app shows for Airdeck."
        />
      )}
      <FieldError testId="signin-error">{error?.message}</FieldError>
      <div className="auth-gate__actions">
        <Button
          type="submit"
          variant="primary"
          data-testid="signin-submit"
          disabled={busy || !username.trim() || !password}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
        <ConnectionStatus />
      </div>
    </Card>
  );
}

export function SetupScreen() {
  const setupCode = useAuthStore((store) => store.setupCode);
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, run } = useAttempt();
  const mismatch = repeat !== '' && repeat !== password;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch || password.length < 10) return;
    run((client) =>
      client.setup({
        username: username.trim(),
        displayName: displayName.trim(),
        password,
        ...(setupCode ? { code: setupCode } : {}),
      }),
    );
  };

  return (
    <Card title="Create the first admin" onSubmit={submit}>
      <p>
        Airdeck has no accounts yet. The first account is an admin: it adds everyone else and gives
        each the rights their job needs.
      </p>
      <AuthField
        id="setup-display-name"
        label="Your name"
        autoComplete="name"
        value={displayName}
        onChange={setDisplayName}
        autoFocus
      />
      <AuthField
        id="setup-username"
        label="Username"
        autoComplete="username"
        value={username}
        onChange={setUsername}
      />
      <AuthField
        id="setup-password"
        label="Password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        hint="At least 10 characters; a passphrase of a few words is best."
      />
      <AuthField
        id="setup-repeat"
        label="Password again"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
      />
      <FieldError>{mismatch ? 'The two passwords differ.' : null}</FieldError>
      <FieldError testId="setup-error">{error?.message}</FieldError>
      <div className="auth-gate__actions">
        <Button
          type="submit"
          variant="primary"
          data-testid="setup-submit"
          disabled={busy || !displayName.trim() || password.length < 10 || mismatch}
        >
          {busy ? 'Creating…' : 'Create admin and sign in'}
        </Button>
      </div>
    </Card>
  );
}
