// Slack's quirk: the Web API answers HTTP 200 with `{ ok: false, error }`, and a dead token is one of these error codes.
import type { ProviderHooks } from "./hooks";

/** Slack error codes that mean the token is bad, not the request. */
const SLACK_AUTH_ERRORS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

export const slackHooks: ProviderHooks = {
  // A dead token at HTTP 200 refuses; anything else is left to the status (a 401 still refuses).
  refusesCredential({ status, body }) {
    if (status !== 200 || !body.includes('"ok"')) return undefined;
    try {
      const data = JSON.parse(body) as { ok?: unknown; error?: unknown };
      return data.ok === false && typeof data.error === "string" && SLACK_AUTH_ERRORS.has(data.error) ? true : undefined;
    } catch {
      return undefined;
    }
  },
};
