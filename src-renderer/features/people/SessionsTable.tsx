import { useMemo } from 'react';
import type { SessionInfo } from '../../../src-shared/contract';
import { Button, DataTable, FieldError, toast, type ColumnDef } from '../../ui';
import { errorText } from './PersonDialogs';
import { describeUserAgent, transportLabel } from './model';
import { useRevokeSession, useSessions } from './queries';

/**
 * A person's open sessions with a Revoke each. Revoking closes that window's connection at once
 * (the core ends the socket), and the list follows through `sessionsChanged`.
 */
export function SessionsTable({
  personId,
  own,
  formatTime,
  label,
}: {
  personId: number;
  own: boolean;
  formatTime: (ms: number) => string;
  label: string;
}) {
  const sessions = useSessions(personId, own);
  const revoke = useRevokeSession();
  const columns = useMemo<ColumnDef<SessionInfo, unknown>[]>(
    () => [
      {
        id: 'device',
        header: 'Device',
        accessorFn: (s) => describeUserAgent(s.userAgent),
        cell: ({ row }) => (
          <span title={row.original.userAgent}>
            {describeUserAgent(row.original.userAgent)}
            {row.original.current && <span className="people-chip">this window</span>}
          </span>
        ),
      },
      { id: 'kind', header: 'Kind', accessorFn: (s) => transportLabel(s) },
      {
        id: 'address',
        header: 'Address',
        accessorKey: 'address',
        meta: { className: 'mono' },
      },
      {
        id: 'lastSeen',
        header: 'Last seen',
        accessorKey: 'lastSeenAt',
        cell: ({ row }) => formatTime(row.original.lastSeenAt),
        meta: { className: 'mono' },
      },
      {
        id: 'signedIn',
        header: 'Signed in',
        accessorKey: 'createdAt',
        cell: ({ row }) => formatTime(row.original.createdAt),
        meta: { className: 'mono' },
      },
      {
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => (
          <Button
            size="sm"
            variant="danger"
            data-testid="session-revoke"
            aria-label={`Revoke ${describeUserAgent(row.original.userAgent)} from ${row.original.address}${row.original.current ? ' (this window)' : ''}`}
            disabled={revoke.isPending}
            onClick={() =>
              revoke.mutate(row.original.id, {
                onSuccess: () => toast('Session revoked.', 'ok'),
                onError: (error) => toast(errorText(error), 'error'),
              })
            }
          >
            Revoke
          </Button>
        ),
      },
    ],
    [formatTime, revoke],
  );
  if (sessions.isError) return <FieldError>{errorText(sessions.error)}</FieldError>;
  return (
    <DataTable
      data={sessions.data ?? []}
      columns={columns}
      getRowId={(s) => String(s.id)}
      label={label}
      testId="sessions-table"
      className="people-sessions"
      rowProps={(s) => ({ 'data-testid': 'session-row', 'data-session-id': s.id })}
      emptyText={sessions.isPending ? 'Loading sessions…' : 'No open sessions.'}
    />
  );
}
