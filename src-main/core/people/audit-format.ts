import type { AuditEntry } from '../../../src-shared/contract';

const SECRET_KEY = /password|secret|totp|code|token|key/i;
/** What people say to each other (a direct message too) is not the audit log's business. */
const PRIVATE_KEY = /^body$/;

/**
 * What a request acted on, for the audit log: its ids and names, never a secret. Bounded so a
 * batch of 20,000 operations does not make a megabyte row.
 */
export function describeTarget(request: unknown): string {
  if (typeof request !== 'object' || request === null) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(request as Record<string, unknown>)) {
    if (SECRET_KEY.test(key) || PRIVATE_KEY.test(key)) {
      parts.push(`${key}=(hidden)`);
      continue;
    }
    let text: string;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      text = String(value);
    else if (Array.isArray(value))
      text = value.length > 10 ? `[${value.length} items]` : JSON.stringify(value, redact);
    else text = JSON.stringify(value, redact) ?? '';
    parts.push(`${key}=${text.length > 120 ? `${text.slice(0, 117)}...` : text}`);
  }
  return parts.join(' ').slice(0, 500);
}

function redact(key: string, value: unknown): unknown {
  return key && SECRET_KEY.test(key) ? '(hidden)' : value;
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: prefix it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: AuditEntry[], zone: string): string {
  const header = [
    'id',
    'time (UTC)',
    `time (${zone})`,
    'person',
    'action',
    'target',
    'result',
    'detail',
    'from',
  ];
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    dateStyle: 'short',
    timeStyle: 'medium',
  });
  const lines = [header.map(csvCell).join(',')];
  for (const e of entries) {
    lines.push(
      [
        e.id,
        new Date(e.at).toISOString(),
        local.format(e.at),
        e.personName,
        e.action,
        e.target,
        e.result,
        e.detail,
        e.address,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
