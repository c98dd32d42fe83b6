/**
 * The last steps of an OAuth connection, once the provider gave us tokens: find the
 * API base (Salesforce's instance), ask who the account is, encrypt, save.
 */
import { CallbackError } from "../../lib/errors";
import { runTestRequest } from "../../lib/connect/provider-request";
import type { TokenSet } from "../../lib/oauth/client";
import { resolveApiBaseUrl, type OAuth2Provider } from "../../lib/providers";
import { checkOutboundUrl } from "../../lib/ssrf";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { simulatorBaseUrl } from "./env";
import { encryptSecrets } from "./secrets";

type Finish = { ok: true; accountName: string } | { ok: false; code: CallbackError };

export async function finishOAuthConnection(
  ctx: ActionCtx,
  args: {
    provider: OAuth2Provider;
    orgId: Id<"organizations">;
    userId: Id<"users">;
    tokens: TokenSet;
    requestedScopes: string[];
  },
): Promise<Finish> {
  const { provider, tokens } = args;
  const config: Record<string, string> = {};
  if (provider.apiBaseFrom) {
    // A base URL chosen by the token response decides where the token goes next: check it.
    const base = resolveApiBaseUrl(provider, { tokenResponse: tokens.metadata });
    const checked = base ? checkOutboundUrl(base, { allowLoopback: simulatorBaseUrl() !== undefined }) : null;
    if (!checked?.ok) return { ok: false, code: CallbackError.token_exchange_failed };
    config.apiBaseUrl = base!;
  }
  for (const [key, value] of Object.entries(tokens.metadata)) config[`token.${key}`] = value;

  const test = await runTestRequest(provider, { secrets: { accessToken: tokens.accessToken }, config });
  if (!test.ok) return { ok: false, code: CallbackError.account_lookup_failed };
  // Jira's account is a site; its cloud id picks the REST base later.
  if (provider.id === "jira") config.cloudId = test.account.id;

  const plaintext: Record<string, string> = { accessToken: tokens.accessToken };
  if (tokens.refreshToken) plaintext.refreshToken = tokens.refreshToken;
  const secrets = await encryptSecrets(args.orgId, provider.id, plaintext);
  await ctx.runMutation(internal.integrations.store.saveConnection, {
    orgId: args.orgId,
    providerId: provider.id,
    userId: args.userId,
    secrets,
    config,
    scopes: tokens.scopes ?? args.requestedScopes,
    accountId: test.account.id,
    accountName: test.account.name ?? undefined,
    accessTokenExpiresAt: tokens.expiresAt ?? undefined,
    recordConsent: true,
  });
  return { ok: true, accountName: test.account.name ?? test.account.id };
}
