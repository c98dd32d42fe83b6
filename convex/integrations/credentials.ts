import { ConvexError, v } from "convex/values";
import { checkCredentialForm } from "../../lib/connect/credential-form";
import { runTestRequest } from "../../lib/connect/verify";
import { ErrorCode } from "../../lib/errors";
import { connectionApiBase, resolveApiBaseUrl } from "../../lib/providers";
import { orgAction } from "../functions";
import { internal } from "../_generated/api";
import { keyRing, outboundUrlOptions, providerOrThrow } from "../shared/env";
import { loggedTransport, newCorrelationId } from "../shared/providerHttp";
import { encryptSecrets } from "../shared/secrets";

/**
 * Connects a credential provider (WordPress, Trello, Pumble, custom webhook):
 * checks the form, verifies against the provider, and only then stores the
 * secrets encrypted. A refused credential is an error and nothing is stored.
 */
export const connect = orgAction({
  role: "admin",
  args: { providerId: v.string(), values: v.record(v.string(), v.string()) },
  handler: async (ctx, { providerId, values }): Promise<{ accountName: string }> => {
    const provider = providerOrThrow(providerId);
    // Fail on a broken key ring before anything is sent to the provider.
    keyRing();
    if (provider.authKind === "oauth2") {
      throw new ConvexError({
        code: ErrorCode.INVALID_INPUT,
        message: `${provider.displayName} connects through its own sign-in page, not a form.`,
      });
    }
    const checked = checkCredentialForm(provider, values, outboundUrlOptions());
    if (!checked.ok) {
      throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: checked.message, field: checked.field });
    }
    const config = { ...checked.config };
    const base = resolveApiBaseUrl(provider, { credentials: { ...checked.config, ...checked.secrets } });
    if (base && provider.authKind === "basic" && provider.apiBaseFrom) config.apiBaseUrl = base;

    const correlationId = newCorrelationId();
    const send = loggedTransport(ctx, {
      orgId: ctx.org._id,
      provider,
      actor: { kind: "user", id: ctx.userId },
      correlationId,
      secrets: Object.values(checked.secrets),
      apiBase: connectionApiBase(provider, config),
    });
    const test = await runTestRequest(provider, { secrets: checked.secrets, config }, "verify", send);
    if (!test.ok) {
      // Audited without the credential: the activity page shows who tried, and why it failed.
      await ctx.runMutation(internal.integrations.store.recordConnectFailure, {
        orgId: ctx.org._id,
        userId: ctx.userId,
        providerId: provider.id,
        code: test.reason === "unauthorized" ? "credentials_rejected" : test.reason,
      });
      throw new ConvexError({
        code: test.reason === "unauthorized" ? ErrorCode.CREDENTIALS_REJECTED : ErrorCode.PROVIDER_UNAVAILABLE,
        message:
          test.reason === "unauthorized"
            ? `${provider.displayName} refused these credentials. Check them and try again.`
            : test.message,
      });
    }
    const secrets = await encryptSecrets(ctx.org._id, provider.id, checked.secrets);
    await ctx.runMutation(internal.integrations.store.saveConnection, {
      orgId: ctx.org._id,
      providerId: provider.id,
      userId: ctx.userId,
      secrets,
      config,
      scopes: [],
      accountId: test.account.id,
      accountName: test.account.name ?? undefined,
      recordConsent: false,
      flowCorrelationId: correlationId,
    });
    return { accountName: test.account.name ?? test.account.id };
  },
});
