/**
 * The OAuth connect flow: `start` hands out an authorize URL bound to a single-use
 * state; the callback route calls `complete` with the signed-in user's session.
 */
import { ConvexError, v } from "convex/values";
import { CallbackError, ErrorCode } from "../../lib/errors";
import { sha256Hex } from "../../lib/hash";
import { buildAuthorizeUrl, exchangeCode, generateCodeVerifier, generateState, issuerMatches } from "../../lib/oauth/client";
import { OAuthError } from "../../lib/oauth/errors";
import { safeRelativePath } from "../../lib/safe-redirect";
import { decryptSecret, encryptSecret } from "../../lib/vault";
import { hasRole } from "../../lib/roles";
import { internalMutation, orgAction, userAction, getMembership } from "../functions";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { keyRing, oauthClientFor, providerOrThrow } from "../shared/env";
import { loggedTransport, newCorrelationId } from "../shared/providerHttp";
import { finishOAuthConnection } from "./oauthFinish";

/** How long a person has to approve at the provider. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

const modeValidator = v.union(v.literal("popup"), v.literal("redirect"));

/** The binding of a PKCE verifier's ciphertext: its org and its state, nothing else. */
function verifierBinding(orgId: string, stateHash: string) {
  return { orgId, owner: `oauth-state/${stateHash}`, field: "codeVerifier" };
}

/**
 * Starts connecting an OAuth provider (admins): returns the provider's authorize URL.
 * An action, not a mutation: the state and the PKCE verifier are secrets, and
 * randomness inside a Convex mutation is seeded (replayable). They are made here and
 * only stored by `saveState`.
 */
export const start = orgAction({
  role: "admin",
  args: {
    providerId: v.string(),
    mode: modeValidator,
    returnTo: v.string(),
    extraScopes: v.optional(v.array(v.string())),
  },
  handler: async (ctx, args): Promise<{ authorizeUrl: string }> => {
    const provider = providerOrThrow(args.providerId);
    if (provider.authKind !== "oauth2") {
      throw new ConvexError({
        code: ErrorCode.INVALID_INPUT,
        message: `${provider.displayName} connects with credentials, not OAuth.`,
      });
    }
    const returnTo = safeRelativePath(args.returnTo, "");
    if (!returnTo) {
      throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: "returnTo must be a path of this app." });
    }
    const allowed = new Set(provider.optionalScopes.map((s) => s.scope));
    const unknown = (args.extraScopes ?? []).filter((s) => !allowed.has(s));
    if (unknown.length > 0) {
      throw new ConvexError({
        code: ErrorCode.INVALID_INPUT,
        message: `${provider.displayName} does not offer these scopes here: ${unknown.join(", ")}.`,
      });
    }
    const scopes = [...new Set([...provider.defaultScopes, ...(args.extraScopes ?? [])])];
    const client = oauthClientFor(provider);
    const state = generateState();
    const stateHash = await sha256Hex(state);
    const codeVerifier = provider.pkce ? generateCodeVerifier() : null;
    await ctx.runMutation(internal.integrations.oauth.saveState, {
      stateHash,
      orgId: ctx.org._id,
      userId: ctx.userId,
      providerId: provider.id,
      codeVerifier: codeVerifier
        ? await encryptSecret(keyRing(), codeVerifier, verifierBinding(ctx.org._id, stateHash))
        : undefined,
      scopes,
      returnTo,
      mode: args.mode,
    });
    return { authorizeUrl: buildAuthorizeUrl(provider, client, { state, codeVerifier, scopes }).toString() };
  },
});

/** Stores a state `start` made (only its hash; the verifier encrypted), valid for OAUTH_STATE_TTL_MS. */
export const saveState = internalMutation({
  args: {
    stateHash: v.string(),
    orgId: v.id("organizations"),
    userId: v.id("users"),
    providerId: v.string(),
    codeVerifier: v.optional(v.string()),
    scopes: v.array(v.string()),
    returnTo: v.string(),
    mode: modeValidator,
  },
  handler: async (ctx, args) => {
    await ctx.db.insert("oauthStates", { ...args, expiresAt: Date.now() + OAUTH_STATE_TTL_MS });
    return null;
  },
});

/** Where a callback goes back to, known once its state is. */
type Return = { returnTo: string; mode: "popup" | "redirect" };

export type CompleteResult =
  | ({ ok: true; providerId: string; accountName: string } & Return)
  | ({ ok: false; code: CallbackError } & Partial<Return>);

/**
 * Checks and spends a state. Another user's state and a state for another provider
 * are left unspent, so a forged callback cannot burn someone's real one.
 */
export const consumeState = internalMutation({
  args: { stateHash: v.string(), userId: v.id("users"), providerId: v.string() },
  handler: async (ctx, { stateHash, userId, providerId }) => {
    const row = await ctx.db
      .query("oauthStates")
      .withIndex("by_stateHash", (q) => q.eq("stateHash", stateHash))
      .unique();
    if (!row || row.userId !== userId || row.providerId !== providerId) {
      return { ok: false as const, code: CallbackError.state_mismatch };
    }
    const back = { returnTo: row.returnTo, mode: row.mode };
    if (row.consumedAt !== undefined) return { ok: false as const, code: CallbackError.state_reused, ...back };
    await ctx.db.patch(row._id, { consumedAt: Date.now() });
    if (row.expiresAt < Date.now()) return { ok: false as const, code: CallbackError.state_expired, ...back };
    const membership = await getMembership(ctx, row.orgId, userId);
    const org = await ctx.db.get(row.orgId);
    if (!membership || !hasRole(membership.role, "admin") || !org || org.deletedAt !== undefined) {
      return { ok: false as const, code: CallbackError.forbidden, ...back };
    }
    return {
      ok: true as const,
      orgId: row.orgId,
      codeVerifier: row.codeVerifier ?? null,
      scopes: row.scopes,
      ...back,
    };
  },
});

/**
 * Finishes an OAuth connection for the callback route. Every failure is a code the
 * UI explains; nothing the provider sent (tokens, codes) appears in the answer.
 */
export const complete = userAction({
  args: {
    providerId: v.string(),
    state: v.optional(v.string()),
    code: v.optional(v.string()),
    error: v.optional(v.string()),
    /** RFC 9207's `iss` from the authorization response, when the provider sent one. */
    iss: v.optional(v.string()),
  },
  handler: async (ctx, args): Promise<CompleteResult> => {
    if (!args.state) return { ok: false, code: CallbackError.state_missing };
    const stateHash = await sha256Hex(args.state);
    const consumed = await ctx.runMutation(internal.integrations.oauth.consumeState, {
      stateHash,
      userId: ctx.userId,
      providerId: args.providerId,
    });
    if (!consumed.ok) return consumed;
    const back: Return = { returnTo: consumed.returnTo, mode: consumed.mode };
    const fail = async (code: CallbackError): Promise<CompleteResult> => {
      await ctx.runMutation(internal.integrations.store.recordConnectFailure, {
        orgId: consumed.orgId,
        userId: ctx.userId,
        providerId: args.providerId,
        code,
      });
      return { ok: false, code, ...back };
    };
    const provider = providerOrThrow(args.providerId);
    if (provider.authKind !== "oauth2") return fail(CallbackError.state_mismatch);
    // Before anything else is believed (an error included): an answer from another server is a mix-up attack.
    if (!issuerMatches(provider, args.iss)) return fail(CallbackError.issuer_mismatch);
    if (args.error || !args.code) {
      return fail(args.error === "access_denied" || !args.error ? CallbackError.access_denied : CallbackError.provider_error);
    }
    const codeVerifier = consumed.codeVerifier
      ? await decryptSecret(keyRing(), consumed.codeVerifier, verifierBinding(consumed.orgId, stateHash))
      : null;
    let client;
    try {
      client = oauthClientFor(provider);
    } catch {
      return fail(CallbackError.provider_not_configured);
    }
    const orgId = consumed.orgId as Id<"organizations">;
    // The token exchange and the account lookup after it are one flow in the call log.
    const flow = { orgId, provider, actor: { kind: "user" as const, id: ctx.userId }, correlationId: newCorrelationId() };
    const send = loggedTransport(ctx, { ...flow, secrets: [args.code, client.clientSecret] });
    let tokens;
    try {
      tokens = await exchangeCode(provider, client, args.code, codeVerifier, send);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return fail(
        error.failure === "unsupported_token_type" ? CallbackError.unsupported_token_type : CallbackError.token_exchange_failed,
      );
    }
    const finished = await finishOAuthConnection(ctx, {
      provider,
      orgId,
      userId: ctx.userId,
      tokens,
      requestedScopes: consumed.scopes,
      correlationId: flow.correlationId,
    });
    if (!finished.ok) return fail(finished.code);
    return { ok: true, providerId: provider.id, accountName: finished.accountName, ...back };
  },
});

/** Deletes states past their expiry (spent or not). Run by a cron. */
export const cleanupExpiredStates = internalMutation({
  args: {},
  handler: async (ctx) => {
    const expired = await ctx.db
      .query("oauthStates")
      .withIndex("by_expiresAt", (q) => q.lt("expiresAt", Date.now()))
      .take(500);
    for (const row of expired) await ctx.db.delete(row._id);
    if (expired.length === 500) {
      await ctx.scheduler.runAfter(0, internal.integrations.oauth.cleanupExpiredStates, {});
    }
    return expired.length;
  },
});
