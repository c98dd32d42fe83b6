// Salesforce's quirk: the API host is per org and arrives as `instance_url` in the token response, which also has no `expires_in`.
import { isSecureOrLoopback } from "./urls";

/** Salesforce answers with a session that lasts until the org's timeout; ask introspect for `exp`. */
export const SALESFORCE_INTROSPECT_PATH = "/services/oauth2/introspect";

/**
 * The API base from a token response's `instance_url`, or null when it is missing,
 * not https (loopback http is allowed for the simulator), or carries a path/query.
 */
export function salesforceInstanceUrl(tokenResponse: unknown): string | null {
  if (typeof tokenResponse !== "object" || tokenResponse === null) return null;
  const raw = (tokenResponse as { instance_url?: unknown }).instance_url;
  if (typeof raw !== "string" || !URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (!isSecureOrLoopback(url) || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Org and user ids from the token response's `id` URL
 * (`https://login.salesforce.com/id/<orgId>/<userId>`), or null.
 */
export function salesforceIdentity(tokenResponse: unknown): { orgId: string; userId: string } | null {
  if (typeof tokenResponse !== "object" || tokenResponse === null) return null;
  const raw = (tokenResponse as { id?: unknown }).id;
  if (typeof raw !== "string" || !URL.canParse(raw)) return null;
  const match = /\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(new URL(raw).pathname);
  return match ? { orgId: match[1]!, userId: match[2]! } : null;
}
