import { useState } from 'react';
import { roles, type Person, type Role } from '../../../src-shared/contract';
import { errorText } from '../../app/api/api-client';
import { CheckField, ConfirmDialog, Dialog, Field, FieldError, toast } from '../../ui';
import { useChannels } from '../schedule/queries';
import { channelScopedRoles, roleHints, roleLabels, scopeFromForm } from './model';
import { useCreatePerson, useDeletePerson, useResetPassword, useUpdatePerson } from './queries';

export { errorText };

/** Channels a role's rights reach: all (the default) or the ones ticked. */
function ScopeField({
  role,
  all,
  chosen,
  onChange,
}: {
  role: Role;
  all: boolean;
  chosen: readonly number[];
  onChange: (all: boolean, chosen: number[]) => void;
}) {
  const channels = useChannels().data ?? [];
  if (!channelScopedRoles.has(role)) return null;
  const toggle = (id: number, on: boolean) =>
    onChange(false, on ? [...chosen, id] : chosen.filter((c) => c !== id));
  return (
    <fieldset className="people-scope" data-testid="person-scope">
      <legend className="field__label">Channels</legend>
      <CheckField
        label="All channels"
        hint="Their rights reach every channel, including ones added later."
        checked={all}
        onChange={(event) => onChange(event.target.checked, [...chosen])}
        data-testid="person-scope-all"
      />
      {!all && (
        <div className="people-scope__list" role="group" aria-label="Chosen channels">
          {channels.length === 0 && <p className="muted">The station has no channels yet.</p>}
          {channels.map((channel) => (
            <CheckField
              key={channel.id}
              label={`${channel.number} ${channel.name}`}
              checked={chosen.includes(channel.id)}
              onChange={(event) => toggle(channel.id, event.target.checked)}
              data-testid={`person-scope-channel-${channel.id}`}
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}

function RoleField({ role, onChange }: { role: Role; onChange: (role: Role) => void }) {
  return (
    <Field label="Role" hint={roleHints[role]}>
      <select
        value={role}
        data-testid="person-role"
        onChange={(event) => onChange(event.target.value as Role)}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Adds a person (without `person`) or edits one's name, role and channels. */
export function PersonDialog({ person, onClose }: { person?: Person; onClose: () => void }) {
  const create = useCreatePerson();
  const update = useUpdatePerson();
  const [displayName, setDisplayName] = useState(person?.displayName ?? '');
  const [username, setUsername] = useState(person?.username ?? '');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(person?.role ?? 'editor');
  const [all, setAll] = useState(person ? person.scope.channels === null : true);
  const [chosen, setChosen] = useState<number[]>(person?.scope.channels ?? []);
  const mutation = person ? update : create;
  const shortPassword = !person && password.length > 0 && password.length < 10;
  const incomplete =
    !displayName.trim() || (!person && (username.trim().length < 2 || password.length < 10));

  const submit = () => {
    const scope = scopeFromForm(role, all, chosen, person?.scope);
    const done = (saved: Person) => {
      toast(person ? `${saved.displayName} saved.` : `${saved.displayName} can sign in now.`, 'ok');
      onClose();
    };
    if (person) {
      update.mutate(
        { id: person.id, displayName: displayName.trim(), role, scope },
        { onSuccess: done },
      );
    } else {
      create.mutate(
        { username: username.trim(), displayName: displayName.trim(), password, role, scope },
        { onSuccess: done },
      );
    }
  };

  return (
    <Dialog
      title={person ? `Edit ${person.displayName}` : 'Add a person'}
      description={
        person
          ? 'A new role or channel limit applies to their open windows at once.'
          : 'They sign in with this username and password and can change the password later.'
      }
      testId="person-dialog"
      onClose={onClose}
      onSubmit={submit}
      submitLabel={person ? 'Save' : 'Add person'}
      submitTestId="person-submit"
      submitDisabled={incomplete}
      busy={mutation.isPending}
    >
      <Field label="Name">
        <input
          value={displayName}
          autoComplete="off"
          data-testid="person-display-name"
          onChange={(event) => setDisplayName(event.target.value)}
        />
      </Field>
      {!person && (
        <>
          <Field label="Username" hint="Letters, digits and . _ @ - only.">
            <input
              value={username}
              autoComplete="off"
              spellCheck={false}
              data-testid="person-username"
              onChange={(event) => setUsername(event.target.value)}
            />
          </Field>
          <Field
            label="Initial password"
            hint="At least 10 characters. Tell it to them in person; they can change it."
            error={shortPassword ? 'At least 10 characters.' : undefined}
          >
            <input
              type="password"
              value={password}
              autoComplete="new-password"
              data-testid="person-password"
              onChange={(event) => setPassword(event.target.value)}
            />
          </Field>
        </>
      )}
      <RoleField role={role} onChange={setRole} />
      <ScopeField
        role={role}
        all={all}
        chosen={chosen}
        onChange={(nextAll, nextChosen) => {
          setAll(nextAll);
          setChosen(nextChosen);
        }}
      />
      {mutation.isError && (
        <FieldError testId="person-error">{errorText(mutation.error)}</FieldError>
      )}
    </Dialog>
  );
}

/** Sets a new password for someone who forgot theirs; their open sessions end. */
export function ResetPasswordDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  return (
    <Dialog
      title={`New password for ${person.displayName}`}
      description="Their open windows are signed out; they sign in with the new password."
      testId="reset-password-dialog"
      onClose={onClose}
      onSubmit={() =>
        reset.mutate(
          { id: person.id, password },
          {
            onSuccess: () => {
              toast(`${person.displayName} has a new password.`, 'ok');
              onClose();
            },
          },
        )
      }
      submitLabel="Set password"
      submitTestId="reset-password-submit"
      submitDisabled={password.length < 10}
      busy={reset.isPending}
    >
      <Field label="New password" hint="At least 10 characters.">
        <input
          type="password"
          value={password}
          autoComplete="new-password"
          data-testid="reset-password-input"
          onChange={(event) => setPassword(event.target.value)}
        />
      </Field>
      {reset.isError && <FieldError>{errorText(reset.error)}</FieldError>}
    </Dialog>
  );
}

/** Deleting keeps their audit entries (under their name) but ends their sessions for good. */
export function DeletePersonDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const remove = useDeletePerson();
  return (
    <ConfirmDialog
      title={`Delete ${person.displayName}?`}
      confirmLabel="Delete"
      tone="danger"
      testId="delete-person-dialog"
      confirmTestId="delete-person-confirm"
      busy={remove.isPending}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(person.id, {
          onSuccess: () => {
            toast(`${person.displayName} deleted.`, 'ok');
            onClose();
          },
        })
      }
    >
      <p>
        {person.displayName} ({person.username}) can no longer sign in and every window of theirs
        closes. The audit log keeps what they did. To stop them for a while instead, disable them.
      </p>
      {remove.isError && (
        <FieldError testId="delete-person-error">{errorText(remove.error)}</FieldError>
      )}
    </ConfirmDialog>
  );
}
