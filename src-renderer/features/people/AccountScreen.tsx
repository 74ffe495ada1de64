import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Person } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { Button, Dialog, Field, FieldError, toast } from '../../ui';
import { useAuthStore } from '../auth/store';
import { Panel, Readout } from '../station/Panel';
import { errorText } from './PersonDialogs';
import { SessionsTable } from './SessionsTable';
import { roleLabels } from './model';
import { useStationTime } from './use-station-time';
import '../station/station.css';
import './people.css';
import { TotpQrCode } from './TotpQrCode';

/** The signed-in person's record changed (second factor on or off): the badge follows. */
function keepPerson(person: Person) {
  useAuthStore.setState({ person });
}

function PasswordDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useMutation({
    mutationFn: () => api.call('passwordChange', { current, next }),
    onSuccess: () => {
      toast('Password changed. Your other sessions were signed out.', 'ok');
      onClose();
    },
  });
  const mismatch = repeat !== '' && repeat !== next;
  return (
    <Dialog
      title="Change your password"
      description="Your other windows and devices are signed out; this one stays."
      testId="password-dialog"
      onClose={onClose}
      onSubmit={() => change.mutate()}
      submitLabel="Change password"
      submitTestId="password-submit"
      submitDisabled={!current || next.length < 10 || repeat !== next}
      busy={change.isPending}
    >
      <Field label="Current password">
        <input
          type="password"
          autoComplete="current-password"
          value={current}
          data-testid="password-current"
          onChange={(e) => setCurrent(e.target.value)}
        />
      </Field>
      <Field
        label="New password"
        hint="At least 10 characters; a passphrase of a few words is best."
      >
        <input
          type="password"
          autoComplete="new-password"
          value={next}
          data-testid="password-next"
          onChange={(e) => setNext(e.target.value)}
        />
      </Field>
      <Field label="New password again" error={mismatch ? 'The two passwords differ.' : undefined}>
        <input
          type="password"
          autoComplete="new-password"
          value={repeat}
          data-testid="password-repeat"
          onChange={(e) => setRepeat(e.target.value)}
        />
      </Field>
      {change.isError && <FieldError>{errorText(change.error)}</FieldError>}
    </Dialog>
  );
}

/**
 * Turning on the second factor: the core makes a secret, the person adds it to their
 * authenticator (scanning the QR code, typing the secret or opening the otpauth link), and a
 * first code proves it.
 */
function TotpEnableDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [code, setCode] = useState('');
  const begin = useTotpBegin();
  const confirm = useMutation({
    mutationFn: () => api.call('totpConfirm', { code }),
    onSuccess: (person) => {
      keepPerson(person);
      toast('Second factor on: sign-ins now ask for a code.', 'ok');
      onClose();
    },
  });
  return (
    <Dialog
      title="Turn on the second factor"
      description="Add Airdeck to an authenticator app, then type the code it shows."
      testId="totp-dialog"
      onClose={onClose}
      onSubmit={() => confirm.mutate()}
      submitLabel="Confirm"
      submitTestId="totp-confirm"
      submitDisabled={!/^\d{6}$/.test(code) || !begin.data}
      busy={confirm.isPending}
    >
      {begin.isError && <FieldError>{errorText(begin.error)}</FieldError>}
      {begin.data ? (
        <dl className="account-secret">
          <dt>Scan with the app</dt>
          <dd>
            <TotpQrCode uri={begin.data.uri} />
          </dd>
          <dt>Or type the secret into the app</dt>
          <dd className="mono" data-testid="totp-secret">
            {begin.data.secret}
          </dd>
          <dt>Or open this link on the phone</dt>
          <dd className="mono account-secret__uri" data-testid="totp-uri">
            {begin.data.uri}
          </dd>
        </dl>
      ) : (
        !begin.isError && <p className="muted">Making a secret…</p>
      )}
      <Field label="Code from the app" hint="6 digits.">
        <input
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          data-testid="totp-code"
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
      </Field>
      {confirm.isError && <FieldError testId="totp-error">{errorText(confirm.error)}</FieldError>}
    </Dialog>
  );
}

/**
 * One secret per opening of the dialog: asked when it mounts and dropped when it closes
 * (gcTime 0), never refetched behind the person's back (a new secret would void the old one).
 */
function useTotpBegin() {
  const api = useApi();
  return useQuery({
    queryKey: ['people', 'totp-begin'],
    queryFn: () => api.call('totpBegin', {}),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}

function TotpDisableDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [password, setPassword] = useState('');
  const disable = useMutation({
    mutationFn: () => api.call('totpDisable', { password }),
    onSuccess: (person) => {
      keepPerson(person);
      toast('Second factor off.', 'ok');
      onClose();
    },
  });
  return (
    <Dialog
      title="Turn off the second factor"
      description="Sign-ins will ask for your password only. Confirm with your password."
      testId="totp-disable-dialog"
      tone="danger"
      onClose={onClose}
      onSubmit={() => disable.mutate()}
      submitLabel="Turn off"
      submitTestId="totp-disable-confirm"
      submitDisabled={!password}
      busy={disable.isPending}
    >
      <Field label="Password">
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          data-testid="totp-disable-password"
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      {disable.isError && <FieldError>{errorText(disable.error)}</FieldError>}
    </Dialog>
  );
}

/** My account: every signed-in person's own password, second factor and sessions. */
export function AccountScreen() {
  const person = useAuthStore((store) => store.person);
  const { format } = useStationTime();
  const [open, setOpen] = useState<'password' | 'totp-on' | 'totp-off' | null>(null);
  if (!person) return null;
  return (
    <div className="account-screen" data-testid="account-screen">
      <header className="section-header">
        <h1>My account</h1>
      </header>
      <div className="account-screen__grid">
        <Panel title="You" testId="account-identity">
          <Readout label="Name" value={person.displayName} />
          <Readout label="Username" value={<span className="mono">{person.username}</span>} />
          <Readout label="Role" value={roleLabels[person.role]} />
        </Panel>
        <Panel title="Sign-in" testId="account-security">
          <div className="account-row">
            <span>Password</span>
            <Button data-testid="password-change" onClick={() => setOpen('password')}>
              Change password…
            </Button>
          </div>
          <div className="account-row">
            <span>
              Second factor:{' '}
              <strong data-testid="totp-state">{person.totpEnabled ? 'on' : 'off'}</strong>
            </span>
            {person.totpEnabled ? (
              <Button
                variant="danger"
                data-testid="totp-disable"
                onClick={() => setOpen('totp-off')}
              >
                Turn off…
              </Button>
            ) : (
              <Button data-testid="totp-enable" onClick={() => setOpen('totp-on')}>
                Turn on…
              </Button>
            )}
          </div>
        </Panel>
      </div>
      <Panel title="Where you are signed in" testId="account-sessions">
        <SessionsTable personId={person.id} own formatTime={format} label="Your sessions" />
      </Panel>
      {open === 'password' && <PasswordDialog onClose={() => setOpen(null)} />}
      {open === 'totp-on' && <TotpEnableDialog onClose={() => setOpen(null)} />}
      {open === 'totp-off' && <TotpDisableDialog onClose={() => setOpen(null)} />}
    </div>
  );
}
