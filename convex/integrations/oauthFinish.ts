/**
 * The last steps of an OAuth connection, once the provider gave us tokens: find the
 * API base (Salesforce's instance), ask who the account is, keep what the provider's
 * `afterConnect` hook asks for (Jira's site), encrypt, save.
 */
import { runTestRequest } from "../../lib/connect/verify";
import { CallbackError } from "../../lib/errors";
import type { TokenSet } from "../../lib/oauth/client";
import { connectionApiBase, hooksOf, resolveApiBaseUrl, type OAuth2Provider } from "../../lib/providers";
import { checkOutboundUrl } from "../../lib/ssrf";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { outboundUrlOptions } from "../shared/env";
import { loggedTransport } from "../shared/providerHttp";
import { encryptSecrets } from "../shared/secrets";

type Finish = { ok: true; accountName: string } | { ok: false; code: CallbackError };

export async function finishOAuthConnection(
  ctx: ActionCtx,
  args: {
    provider: OAuth2Provider;
    orgId: Id<"organizations">;
    userId: Id<"users">;
    tokens: TokenSet;
    requestedScopes: string[];
    correlationId: string;
  },
): Promise<Finish> {
  const { provider, tokens } = args;
  const config: Record<string, string> = {};
  if (provider.apiBaseFrom) {
    // A base URL chosen by the token response decides where the token goes next: check it.
    const base = resolveApiBaseUrl(provider, { tokenResponse: tokens.metadata });
    const checked = base ? checkOutboundUrl(base, outboundUrlOptions()) : null;
    if (!checked?.ok) return { ok: false, code: CallbackError.token_exchange_failed };
    config.apiBaseUrl = base!;
  }
  for (const [key, value] of Object.entries(tokens.metadata)) config[`token.${key}`] = value;

  const secretValues = [tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : [])];
  const send = loggedTransport(ctx, {
    orgId: args.orgId,
    provider,
    actor: { kind: "user", id: args.userId },
    correlationId: args.correlationId,
    secrets: secretValues,
    apiBase: connectionApiBase(provider, config),
  });
  const test = await runTestRequest(provider, { secrets: { accessToken: tokens.accessToken }, config }, "verify", send);
  if (!test.ok) return { ok: false, code: CallbackError.account_lookup_failed };
  Object.assign(config, hooksOf(provider).afterConnect?.(test.account));

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
    flowCorrelationId: args.correlationId,
  });
  return { ok: true, accountName: test.account.name ?? test.account.id };
}
