/**
 * The audit trail's closed vocabulary: every action an audit event can record,
 * who can be its actor, and the plain words the activity page shows. The Convex
 * schema's validators are derived from these lists.
 */

/**
 * Who did something: a person, an API key, Switchboard itself (token refresh, keep-alive,
 * a workflow's schedule), or a workflow's run (its steps' calls; `id` is the workflow's, `label` its name).
 */
export const ACTOR_KINDS = ["user", "apiKey", "system", "workflow"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Audit actions in plain words, for the activity page. The keys are every action there is. */
const ACTION_LABELS = {
  "org.created": "created the organization",
  "org.renamed": "renamed the organization",
  "org.slug_changed": "changed the organization's address",
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
  "integration.ended_by_provider": "heard by webhook that access ended for",
  "workflow.created": "created the workflow",
  "workflow.updated": "changed the workflow",
  "workflow.enabled": "turned on the workflow",
  "workflow.disabled": "turned off the workflow",
  "workflow.removed": "removed the workflow",
  "workflow.run_started": "started a run of the workflow",
  "workflow.run_cancelled": "cancelled a run of the workflow",
  "webhook.endpoint_created": "added the webhook endpoint",
  "webhook.endpoint_updated": "changed the webhook endpoint",
  "webhook.endpoint_enabled": "turned on the webhook endpoint",
  "webhook.endpoint_disabled": "turned off the webhook endpoint",
  "webhook.endpoint_removed": "removed the webhook endpoint",
  "webhook.secret_rotated": "rotated the signing secret of the webhook endpoint",
  "webhook.messages_recovered": "re-sent failed messages to the webhook endpoint",
  "inbound.endpoint_created": "added the inbound webhook endpoint",
  "inbound.endpoint_removed": "removed the inbound webhook endpoint",
  "inbound.secret_rotated": "rotated the secret of the inbound webhook endpoint",
  "inbound.event_replayed": "replayed the inbound event",
  "api_key.created": "created the API key",
  "api_key.rotated": "rotated the API key",
  "api_key.revoked": "revoked the API key",
  "action.run": "ran the action",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(ACTION_LABELS) as AuditAction[];

/**
 * How an actor is named on an activity row or a call: a workflow by its name, Switchboard
 * and API keys by their label; a person is named by the caller (it knows their email).
 * @example actorKindLabel({ kind: "workflow", label: "Deploy notice" }) // "Workflow “Deploy notice”"
 */
export function actorKindLabel(actor: { kind: ActorKind; label?: string }): string | null {
  switch (actor.kind) {
    case "system":
      return actor.label ?? "Switchboard";
    case "apiKey":
      return actor.label ?? "API key";
    case "workflow":
      return actor.label ? `Workflow “${actor.label}”` : "A workflow";
    default:
      return null;
  }
}

/** "connected", "changed a member's role", or the raw action for ones this build does not know. */
export function describeAction(action: string): string {
  return Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action as AuditAction] : action;
}

type Details = Record<string, string | number | boolean | null>;

const REVOKED_WORDS: Record<string, string> = {
  revoked: "access revoked at the provider",
  pending: "revocation pending, tried again",
  failed: "the provider did not revoke access",
  not_supported: "the provider has no revocation",
};

/**
 * The one-line detail an activity row adds to its action, or null: what a role changed
 * from and to, what happened to the grant at a disconnect, why a test or connect failed.
 * Never a secret: audit details hold none.
 * @example describeDetails("member.role_changed", { from: "admin", to: "member" }) // "from admin to member"
 */
export function describeDetails(action: string, details: Details): string | null {
  const text = (name: string) => (typeof details[name] === "string" ? (details[name] as string) : null);
  switch (action) {
    case "member.role_changed":
      return text("from") && text("to") ? `from ${text("from")} to ${text("to")}` : null;
    case "org.renamed":
      return text("from") && text("to") ? `from “${text("from")}” to “${text("to")}”` : null;
    case "org.slug_changed":
      return text("from") && text("to") ? `from /o/${text("from")} to /o/${text("to")}` : null;
    case "integration.disconnected":
      return REVOKED_WORDS[text("revokedAtProvider") ?? ""] ?? null;
    case "integration.connect_failed":
      return text("code")?.replaceAll("_", " ") ?? null;
    case "integration.test_failed":
    case "integration.refresh_failed":
    case "integration.revocation_failed":
    case "integration.unauthorized":
    case "integration.decrypt_failed":
    case "integration.ended_by_provider":
      return text("message");
    case "api_key.created":
    case "api_key.revoked":
      return text("prefix") && text("lastFour") ? `${text("prefix")}…${text("lastFour")}` : null;
    case "api_key.rotated":
      return text("prefix") && text("lastFour") ? `replaced by ${text("prefix")}…${text("lastFour")}` : null;
    case "action.run":
      return details.ok === false ? "which failed" : null;
    default:
      return null;
  }
}
