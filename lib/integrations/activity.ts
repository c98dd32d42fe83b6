/**
 * The audit trail's closed vocabulary: every action an audit event can record,
 * who can be its actor, and the plain words the activity page shows. The Convex
 * schema's validators are derived from these lists.
 */

/** Who did something: a person, an API key, or Switchboard itself (token refresh, keep-alive, workflows). */
export const ACTOR_KINDS = ["user", "apiKey", "system"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Audit actions in plain words, for the activity page. The keys are every action there is. */
const ACTION_LABELS = {
  "org.created": "created the organization",
  "member.added": "added a member",
  "member.role_changed": "changed a member's role",
  "member.removed": "removed a member",
  "member.left": "left the organization",
  "integration.connected": "connected",
  "integration.reconnected": "reconnected",
  "integration.disconnected": "disconnected",
  "integration.revoked": "revoked the access of",
  "integration.revocation_failed": "gave up revoking the access of",
  "integration.tested": "tested the connection",
  "integration.test_failed": "tested the connection, which failed",
  "integration.connect_failed": "tried to connect, which failed",
  "integration.refreshed": "refreshed the token of",
  "integration.refresh_failed": "could not refresh the token of",
  "integration.unauthorized": "found its credentials refused by",
  "integration.decrypt_failed": "could not read the stored credential of",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

/** "connected", "changed a member's role", or the raw action for ones this build does not know. */
export function describeAction(action: string): string {
  return Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action as AuditAction] : action;
}
