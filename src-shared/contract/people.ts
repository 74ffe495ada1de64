import { z } from 'zod';

const Id = z.number().int().positive();
const Instant = z.number().int();

/** The jobs of a station. A role is a bundle of permissions (see permissions.ts). */
export const roles = [
  'admin',
  'operator',
  'scheduler',
  'librarian',
  'editor',
  'viewer',
  /** Plans shifts, reads the desk statistics and makes reports for their team. */
  'manager',
] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

/**
 * Operator, scheduler and editor rights can be limited to chosen channels or sources. `null`
 * means every one; an empty list means none.
 */
export const ScopeSchema = z
  .object({
    channels: z.array(Id).max(10_000).nullable().default(null),
    sources: z.array(Id).max(10_000).nullable().default(null),
  })
  .strict();
export type Scope = z.infer<typeof ScopeSchema>;

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ @ - only');
export const DisplayName = z.string().trim().min(1).max(80);
/** Long passphrases welcome; 1,024 bounds the hashing work an attacker can ask for. */
export const Password = z.string().min(10, 'at least 10 characters').max(1024);

export const PersonSchema = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  scope: ScopeSchema,
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  createdAt: Instant,
  lastSignInAt: Instant.nullable(),
});
export type Person = z.infer<typeof PersonSchema>;

export const SessionInfoSchema = z.object({
  id: Id,
  personId: Id,
  createdAt: Instant,
  lastSeenAt: Instant,
  expiresAt: Instant,
  address: z.string(),
  userAgent: z.string(),
  transport: z.enum(['browser', 'desktop']),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const AuthStatusSchema = z.object({
  /** No account exists yet: the first-run screen creates the first admin. */
  needsSetup: z.boolean(),
  person: PersonSchema.nullable(),
  permissions: z.array(z.string()),
  /** The last person who signed in on this workstation (desktop only), to prefill the form. */
  lastUsername: z.string().nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatusSchema>;

export const SignInRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(1024),
    totp: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
  })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const SetupRequestSchema = z
  .object({ username: Username, displayName: DisplayName, password: Password })
  .strict();
export type SetupRequest = z.infer<typeof SetupRequestSchema>;

export const AuditEntrySchema = z.object({
  id: Id,
  at: Instant,
  personId: Id.nullable(),
  personName: z.string(),
  action: z.string(),
  target: z.string(),
  result: z.enum(['ok', 'denied', 'failed']),
  detail: z.string(),
  address: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditFilterSchema = z
  .object({
    personId: Id.optional(),
    action: z.string().max(100).optional(),
    result: z.enum(['ok', 'denied', 'failed']).optional(),
    from: Instant.optional(),
    to: Instant.optional(),
    text: z.string().max(200).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

const PersonRef = z.object({ id: Id }).strict();

export const peopleMethods = {
  authStatus: { request: z.object({}).strict(), response: AuthStatusSchema },
  authSetup: { request: SetupRequestSchema, response: AuthStatusSchema },
  authSignIn: { request: SignInRequestSchema, response: AuthStatusSchema },
  authSignOut: { request: z.object({}).strict(), response: z.object({ ok: z.literal(true) }) },
  passwordChange: {
    request: z.object({ current: z.string().min(1).max(1024), next: Password }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  totpBegin: {
    request: z.object({}).strict(),
    response: z.object({ secret: z.string(), uri: z.string() }),
  },
  totpConfirm: {
    request: z.object({ code: z.string().regex(/^\d{6}$/) }).strict(),
    response: PersonSchema,
  },
  totpDisable: {
    request: z.object({ password: z.string().min(1).max(1024) }).strict(),
    response: PersonSchema,
  },
  sessionsList: {
    /** Without personId: the caller's own sessions; an admin may name anyone. */
    request: z.object({ personId: Id.optional() }).strict(),
    response: z.object({ sessions: z.array(SessionInfoSchema) }),
  },
  sessionRevoke: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ id: Id }),
  },
  peopleList: {
    request: z.object({}).strict(),
    response: z.object({ people: z.array(PersonSchema) }),
  },
  personCreate: {
    request: z
      .object({
        username: Username,
        displayName: DisplayName,
        password: Password,
        role: RoleSchema,
        scope: ScopeSchema.prefault({}),
      })
      .strict(),
    response: PersonSchema,
  },
  personUpdate: {
    request: z
      .object({
        id: Id,
        displayName: DisplayName.optional(),
        role: RoleSchema.optional(),
        scope: ScopeSchema.optional(),
        disabled: z.boolean().optional(),
      })
      .strict(),
    response: PersonSchema,
  },
  personResetPassword: {
    request: z.object({ id: Id, password: Password }).strict(),
    response: PersonSchema,
  },
  personDelete: { request: PersonRef, response: z.object({ id: Id }) },
  auditList: {
    request: z
      .object({
        filter: AuditFilterSchema.prefault({}),
        /** Entries older than this id (the last one of the previous page). */
        before: Id.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    response: z.object({ entries: z.array(AuditEntrySchema), nextBefore: Id.nullable() }),
  },
  auditExport: {
    request: z.object({ filter: AuditFilterSchema.prefault({}) }).strict(),
    response: z.object({ filename: z.string(), csv: z.string() }),
  },
} as const;

export const peopleEvents = {
  peopleChanged: z.object({ people: z.array(PersonSchema) }),
  /** Sent to the person whose sessions changed (and admins). */
  sessionsChanged: z.object({ personId: Id }),
  auditAppended: AuditEntrySchema,
} as const;
