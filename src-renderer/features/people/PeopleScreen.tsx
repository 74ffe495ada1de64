import { useMemo, useState } from 'react';
import type { Person } from '../../../src-shared/contract';
import {
  Button,
  DataTable,
  DropdownMenu,
  EmptyState,
  FieldError,
  toast,
  type ColumnDef,
} from '../../ui';
import { useAuthStore } from '../auth/store';
import { useChannels } from '../schedule/queries';
import { Panel } from '../station/Panel';
import { DeletePersonDialog, PersonDialog, ResetPasswordDialog, errorText } from './PersonDialogs';
import { SessionsTable } from './SessionsTable';
import { roleLabels, scopeLabel } from './model';
import { usePeople, useUpdatePerson } from './queries';
import { useStationTime } from './use-station-time';
import '../station/station.css';
import './people.css';

type Open = { kind: 'create' } | { kind: 'edit' | 'reset' | 'delete'; person: Person } | null;

/** People: who may sign in, with which role and channels, and where they are signed in now. */
export function PeopleScreen() {
  const people = usePeople();
  const channels = useChannels().data;
  const me = useAuthStore((store) => store.person);
  const { format } = useStationTime();
  const update = useUpdatePerson();
  const [open, setOpen] = useState<Open>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const list = useMemo(() => people.data ?? [], [people.data]);
  const selected = list.find((p) => p.id === selectedId) ?? null;
  const channelNames = useMemo(
    () => new Map((channels ?? []).map((c) => [c.id, c.name] as const)),
    [channels],
  );

  const setDisabled = (person: Person, disabled: boolean) =>
    update.mutate(
      { id: person.id, disabled },
      {
        onSuccess: (saved) =>
          toast(
            saved.disabled
              ? `${saved.displayName} is disabled and signed out.`
              : `${saved.displayName} may sign in again.`,
            'ok',
          ),
        // The last admin's refusal stays until read: it says what to do instead.
        onError: (error) => toast(errorText(error), 'error', { testId: 'people-refusal' }),
      },
    );

  const columns = useMemo<ColumnDef<Person, unknown>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        accessorKey: 'displayName',
        cell: ({ row }) => (
          <button
            type="button"
            className="people-name"
            aria-pressed={row.original.id === selectedId}
            data-testid="person-select"
            onClick={() => setSelectedId(row.original.id)}
          >
            {row.original.displayName}
            {row.original.id === me?.id && <span className="people-chip">you</span>}
          </button>
        ),
      },
      { id: 'username', header: 'Username', accessorKey: 'username', meta: { className: 'mono' } },
      { id: 'role', header: 'Role', accessorFn: (p) => roleLabels[p.role] },
      { id: 'scope', header: 'Channels', accessorFn: (p) => scopeLabel(p, channelNames) },
      {
        id: 'status',
        header: 'Status',
        accessorFn: (p) => (p.disabled ? 'Disabled' : 'Active'),
        cell: ({ row }) => (
          <span
            className={`people-status people-status--${row.original.disabled ? 'off' : 'on'}`}
            data-testid="person-status"
          >
            {row.original.disabled ? 'Disabled' : 'Active'}
          </span>
        ),
      },
      {
        id: 'lastSignIn',
        header: 'Last sign-in',
        accessorKey: 'lastSignInAt',
        cell: ({ row }) =>
          row.original.lastSignInAt === null ? 'Never' : format(row.original.lastSignInAt),
        meta: { className: 'mono' },
      },
      {
        id: 'totp',
        header: 'Second factor',
        accessorFn: (p) => (p.totpEnabled ? 'On' : 'Off'),
      },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => {
          const person = row.original;
          return (
            <div className="people-actions">
              <Button
                size="sm"
                data-testid="person-edit"
                aria-label={`Edit ${person.displayName}`}
                onClick={() => setOpen({ kind: 'edit', person })}
              >
                Edit
              </Button>
              <DropdownMenu
                label={`More for ${person.displayName}`}
                align="end"
                trigger={
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`More for ${person.displayName}`}
                    data-testid="person-more"
                  >
                    More…
                  </Button>
                }
                items={[
                  {
                    label: 'Sessions',
                    onSelect: () => setSelectedId(person.id),
                    testId: 'person-menu-sessions',
                  },
                  {
                    label: person.disabled ? 'Enable' : 'Disable',
                    onSelect: () => setDisabled(person, !person.disabled),
                    testId: 'person-menu-disable',
                  },
                  {
                    label: 'Reset password…',
                    onSelect: () => setOpen({ kind: 'reset', person }),
                    testId: 'person-menu-reset',
                  },
                  'separator',
                  {
                    label: 'Delete…',
                    tone: 'danger',
                    onSelect: () => setOpen({ kind: 'delete', person }),
                    testId: 'person-menu-delete',
                  },
                ]}
              />
            </div>
          );
        },
      },
    ],
    // setDisabled closes over the mutation, which is stable between renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [channelNames, format, me?.id, selectedId],
  );

  return (
    <div className="people-screen" data-testid="people-screen">
      <header className="section-header people-screen__header">
        <h1>People</h1>
        <Button
          variant="primary"
          data-testid="person-add"
          onClick={() => setOpen({ kind: 'create' })}
        >
          Add person
        </Button>
      </header>
      {people.isError && <FieldError>{errorText(people.error)}</FieldError>}
      <DataTable
        data={list}
        columns={columns}
        getRowId={(p) => String(p.id)}
        label="People"
        testId="people-table"
        className="people-table"
        rowProps={(p) => ({
          'data-testid': 'person-row',
          'data-username': p.username,
          'data-selected': p.id === selectedId,
        })}
        emptyText={people.isPending ? 'Loading people…' : 'Nobody yet.'}
      />
      {selected ? (
        <Panel title={`Sessions of ${selected.displayName}`} testId="person-sessions">
          <SessionsTable
            personId={selected.id}
            own={selected.id === me?.id}
            formatTime={format}
            label={`Sessions of ${selected.displayName}`}
          />
        </Panel>
      ) : (
        <EmptyState title="Choose a person to see where they are signed in." />
      )}
      {open?.kind === 'create' && <PersonDialog onClose={() => setOpen(null)} />}
      {open?.kind === 'edit' && <PersonDialog person={open.person} onClose={() => setOpen(null)} />}
      {open?.kind === 'reset' && (
        <ResetPasswordDialog person={open.person} onClose={() => setOpen(null)} />
      )}
      {open?.kind === 'delete' && (
        <DeletePersonDialog person={open.person} onClose={() => setOpen(null)} />
      )}
    </div>
  );
}
