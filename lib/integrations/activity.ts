/** Audit actions in plain words, for the activity page. */
const ACTION_LABELS: Record<string, string> = {
  "org.created": "created the organization",
  "member.added": "added a member",
  "member.role_changed": "changed a member's role",
  "member.removed": "removed a member",
  "member.left": "left the organization",
  "integration.connected": "connected",
  "integration.reconnected": "reconnected",
  "integration.disconnected": "disconnected",
  "integration.tested": "tested the connection",
  "integration.test_failed": "tested the connection, which failed",
  "integration.connect_failed": "tried to connect, which failed",
  "integration.refreshed": "refreshed the token of",
  "integration.refresh_failed": "could not refresh the token of",
  "integration.unauthorized": "found its credentials refused by",
  "integration.decrypt_failed": "could not read the stored credential of",
};

/** "connected", "changed a member's role", or the raw action for ones this build does not know. */
export function describeAction(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
