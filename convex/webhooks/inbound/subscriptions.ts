/**
 * Webhook subscriptions registered at the provider by API (GitHub repository and
 * organization hooks, Linear webhooks, Microsoft Graph subscriptions, Asana webhooks,
 * Google Calendar push channels, Trello webhooks, Jira dynamic webhooks), each with its own
 * endpoint `/webhooks/<providerId>/<publicId>`. Every provider request goes through the
 * call pipeline (`runCall`: the connection's credential, refresh, the call log), never a
 * fetch of its own. The lib side (lib/inbound/subscriptions.ts) says what each request and
 * answer is.
 *
 * - `subscribe` makes the endpoint first (Graph validates the URL while it creates the
 *   subscription, so the URL must answer already), then asks the provider; a refusal
 *   removes the endpoint again and says what the provider said.
 * - `unsubscribe` deletes at the provider (a 404 there: already gone), then the row.
 * - Graph subscriptions, Calendar channels and Jira webhooks (30 days) expire: each has a renewal job
 *   (`subscription.renewJobId`, replaced on every change), and a cron sweep restarts any
 *   that were missed. A failed renewal is kept in `lastError` and tried again; a 404 means
 *   the provider dropped it.
 * - Disconnecting a connection deletes its subscriptions at the provider, best effort
 *   (`removeSubscriptionsOf`, called by revokeAndDisconnect before the grant goes).
 */
import { ConvexError, v } from "convex/values";
import { ErrorCode, isErrorData } from "../../../lib/errors";
import { inboundProvider } from "../../../lib/inbound/providers";
import {
  createRequest,
  deleteRequest,
  expires,
  isSubscribable,
  missingSubscriptionScope,
  newSubscriptionSecret,
  parseSubscription,
  readCreated,
  readDeleted,
  readRenewed,
  renewalAt,
  renewRequest,
  RENEW_BEFORE_EXPIRY_MS,
  RENEW_RETRY_MS,
  SUBSCRIBABLE_PROVIDERS,
  TRELLO_WEBHOOK_SECRET_FIELD,
  type ParsedSubscription,
  type ProviderAnswer,
  type ProviderRequest,
  type Renewed,
  type SubscriptionTarget,
} from "../../../lib/inbound/subscriptions";
import { truncate } from "../../../lib/redact";
import { recordAudit, userActor, type AuditActor } from "../../audit/record";
import { runCall } from "../../calls/pipeline";
import { internalAction, internalMutation, internalQuery, orgAction } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { ActionCtx, MutationCtx } from "../../_generated/server";
import { inboundWebhookUrl, resolvedProvider } from "../../shared/env";
import { VaultDecryptError } from "../../../lib/vault";
import { decryptInboundSecret, decryptRowSecrets, encryptInboundSecret } from "../../shared/secrets";
import { actorValidator } from "../../shared/validators";
import { newEndpointPublicId } from "./endpoints";

/** The audit and call-log actor of renewals and of the sweep. */
export const SUBSCRIPTION_ACTOR: AuditActor = { kind: "system", label: "Webhook subscriptions" };
/** The longest provider error kept on a subscription. */
export const SUBSCRIPTION_ERROR_MAX_BYTES = 500;
/** Subscriptions of one connection removed on disconnect (an org has at most 100 endpoints). */
const PER_CONNECTION_MAX = 100;
/** Renewals the sweep restarts per run. */
const SWEEP_BATCH = 100;

type OrgActionCtx = ActionCtx & { org: Doc<"organizations">; userId: Id<"users"> };
type Actor = { kind: "user"; id: string } | { kind: "system"; label: string };

const refused = (code: ErrorCode, message: string, field?: string) =>
  new ConvexError({ code, message, ...(field ? { field } : {}) });

/** A parsed subscription of a stored endpoint (its resource was parsed when it was made). */
function targetOf(endpoint: Doc<"inboundEndpoints">): SubscriptionTarget | null {
  if (!endpoint.subscription) return null;
  const parsed = parseSubscription(endpoint.providerId, endpoint.subscription.resource);
  return parsed.ok ? parsed.parsed.target : null;
}

/**
 * Sends one subscription request for the connection through the call pipeline. Throws the
 * pipeline's coded error when no answer came (network, refused credential, not connected).
 */
async function send(ctx: ActionCtx, row: Doc<"connections">, request: ProviderRequest, actor: Actor): Promise<ProviderAnswer> {
  const answer = await runCall(
    ctx,
    {
      orgId: row.orgId,
      providerId: row.providerId,
      method: request.method,
      path: request.path,
      ...(request.body !== undefined ? { body: request.body, headers: { "Content-Type": "application/json" } } : {}),
      actor,
    },
    { connection: row },
  );
  return { status: answer.status, body: answer.body };
}

/** The coded error a provider's refusal of `subscribe` becomes: its words, a code the UI can act on. */
function refusalError(status: number, message: string): ConvexError<{ code: string; message: string; field?: string }> {
  if (status === 429 || status >= 500) return refused(ErrorCode.PROVIDER_UNAVAILABLE, message);
  if (status === 401) return refused(ErrorCode.RECONNECT_REQUIRED, message);
  return refused(ErrorCode.INVALID_INPUT, message, "resource");
}

/** The org's live connection of the provider, able to subscribe to `parsed`, or the coded reason why not. */
async function usableConnection(ctx: ActionCtx, orgId: Id<"organizations">, providerId: string, parsed: ParsedSubscription): Promise<Doc<"connections">> {
  const name = resolvedProvider(providerId)?.displayName ?? providerId;
  const row: Doc<"connections"> | null = await ctx.runQuery(internal.integrations.store.getConnection, { orgId, providerId });
  if (!row || row.status === "disconnected") throw refused(ErrorCode.NOT_CONNECTED, `${name} is not connected.`);
  if (row.status === "error") throw refused(ErrorCode.RECONNECT_REQUIRED, `${name} needs to be reconnected${row.lastError ? `: ${row.lastError}` : "."}`);
  const scope = missingSubscriptionScope(parsed, row.scopes);
  if (scope) throw refused(ErrorCode.RECONNECT_REQUIRED, `${name} was connected without the scope ${scope}; reconnect it and grant ${scope}.`);
  return row;
}

/** The signing secret a connection holds for its provider's webhooks (Trello's Power-Up secret), or the coded reason it has none. */
async function connectionWebhookSecret(row: Doc<"connections">): Promise<string> {
  const name = resolvedProvider(row.providerId)?.displayName ?? row.providerId;
  const secrets = await decryptRowSecrets(row);
  if (!secrets) throw refused(ErrorCode.RECONNECT_REQUIRED, `The stored credential of ${name} could not be decrypted. Reconnect to fix it.`);
  const secret = secrets[TRELLO_WEBHOOK_SECRET_FIELD];
  if (!secret) throw refused(ErrorCode.RECONNECT_REQUIRED, `${name} was connected without its Secret (for webhooks), which signs its webhooks; reconnect it and fill it in.`);
  return secret;
}

/**
 * Registers a webhook at the provider for `resource` (GitHub `owner/repo` or
 * `org:<name>`; Linear a team id or `all`; Microsoft Graph `me/messages`, `me/events`;
 * Asana a project or task gid; Google Calendar a calendar id or `primary`; Trello a board,
 * list or card id; Jira a JQL filter such as `project = ABC`),
 * delivering to a new endpoint of this org. Answers the endpoint and its URL; the signing
 * secret is never shown (the provider has it, we keep it sealed).
 */
export const subscribe = orgAction({
  role: "admin",
  args: { providerId: v.string(), resource: v.string() },
  handler: async (ctx: OrgActionCtx, { providerId, resource }): Promise<{ endpointId: Id<"inboundEndpoints">; publicId: string; url: string }> => {
    if (!isSubscribable(providerId)) {
      throw refused(ErrorCode.INVALID_INPUT, `Webhooks are registered by API for ${SUBSCRIBABLE_PROVIDERS.join(", ")} only.`, "providerId");
    }
    const parse = parseSubscription(providerId, resource);
    if (!parse.ok) throw refused(ErrorCode.INVALID_INPUT, parse.message, "resource");
    const parsed = parse.parsed;
    const row = await usableConnection(ctx, ctx.org._id, providerId, parsed);
    const existing: Doc<"inboundEndpoints">[] = await ctx.runQuery(internal.webhooks.inbound.subscriptions.ofConnection, { connectionId: row._id });
    if (existing.some((e) => e.subscription?.resource === parsed.resource)) {
      throw refused(ErrorCode.CONFLICT, `There is a subscription for ${parsed.resource} already.`, "resource");
    }

    const publicId = newEndpointPublicId();
    const url = inboundWebhookUrl(providerId, publicId);
    const secret = parsed.secretBy === "us" ? newSubscriptionSecret() : parsed.secretBy === "connection" ? await connectionWebhookSecret(row) : null;
    const secretCiphertext = secret === null ? undefined : await encryptInboundSecret(ctx.org._id, publicId, 1, secret);
    const endpointId: Id<"inboundEndpoints"> = await ctx.runMutation(internal.webhooks.inbound.endpoints.insert, {
      orgId: ctx.org._id,
      actor: userActor(ctx.userId),
      publicId,
      providerId,
      scheme: inboundProvider(providerId)!.scheme,
      description: parsed.description,
      connectionId: row._id,
      ...(secretCiphertext !== undefined ? { secretCiphertext } : {}),
    });
    const discard = () => ctx.runMutation(internal.webhooks.inbound.subscriptions.discardEndpoint, { endpointId });

    let answer: ProviderAnswer;
    const sentAt = Date.now();
    try {
      answer = await send(ctx, row, createRequest(parsed.target, { url, secret, now: sentAt, channelId: crypto.randomUUID() }), { kind: "user", id: ctx.userId });
    } catch (error) {
      await discard();
      throw error;
    }
    const created = readCreated(parsed.target, answer, sentAt);
    if (!created.ok) {
      await discard();
      throw refusalError(answer.status, created.message);
    }
    // From here the provider has it: whatever fails takes it back there, so nothing is left half made.
    const takeBack = async () => {
      await deleteAtProvider(ctx, row, parsed.target, created.externalId, { kind: "user", id: ctx.userId });
      await discard();
    };
    let stored: boolean;
    try {
      const providerSecret = created.secret === undefined ? undefined : await encryptInboundSecret(ctx.org._id, publicId, 1, created.secret);
      stored = await ctx.runMutation(internal.webhooks.inbound.subscriptions.recordCreated, {
        endpointId,
        externalId: created.externalId,
        resource: parsed.resource,
        ...(created.expiresAt !== undefined ? { expiresAt: created.expiresAt } : {}),
        ...(providerSecret !== undefined ? { secretCiphertext: providerSecret } : {}),
      });
    } catch (error) {
      await takeBack();
      throw error;
    }
    if (!stored) {
      // The endpoint went meanwhile (the connection was disconnected).
      await takeBack();
      throw refused(ErrorCode.CONFLICT, "The endpoint was removed while the subscription was made; nothing was kept.");
    }
    return { endpointId, publicId, url };
  },
});

/**
 * Deletes the subscription at the provider, then its endpoint; deliveries to the URL
 * answer 404 from then on. When the connection is gone, only the row goes (there is no
 * credential to ask the provider with; disconnecting deleted it there already).
 */
export const unsubscribe = orgAction({
  role: "admin",
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx: OrgActionCtx, { endpointId }): Promise<null> => {
    const endpoint: Doc<"inboundEndpoints"> | null = await ctx.runQuery(internal.webhooks.inbound.subscriptions.endpointOf, { orgId: ctx.org._id, endpointId });
    if (!endpoint) throw refused(ErrorCode.NOT_FOUND, "This endpoint does not exist.");
    const target = targetOf(endpoint);
    if (!endpoint.subscription || !target) {
      throw refused(ErrorCode.CONFLICT, "This endpoint is not a subscription registered at the provider; remove it from the endpoints list instead.");
    }
    const row: Doc<"connections"> | null = endpoint.connectionId
      ? await ctx.runQuery(internal.integrations.store.getConnection, { orgId: ctx.org._id, providerId: endpoint.providerId })
      : null;
    if (row && row._id === endpoint.connectionId && row.status !== "disconnected") {
      const deleted = await deleteAtProvider(ctx, row, target, endpoint.subscription.externalId, { kind: "user", id: ctx.userId });
      // Kept, so it can be tried again: removing only the row would leave the provider sending.
      if (!deleted.ok) throw refused(ErrorCode.PROVIDER_UNAVAILABLE, `The subscription was not deleted at the provider, so it is kept: ${deleted.message}`);
    }
    await ctx.runMutation(internal.webhooks.inbound.subscriptions.removeEndpoints, { endpointIds: [endpointId], actor: userActor(ctx.userId) });
    return null;
  },
});

/** Deletes at the provider; never throws (no answer is a failure with the pipeline's words). */
async function deleteAtProvider(ctx: ActionCtx, row: Doc<"connections">, target: SubscriptionTarget, externalId: string, actor: Actor) {
  try {
    return readDeleted(target, await send(ctx, row, deleteRequest(target, externalId), actor));
  } catch (error) {
    const data = error instanceof ConvexError ? (error.data as unknown) : undefined;
    return { ok: false as const, message: isErrorData(data) ? data.message : "The request failed unexpectedly." };
  }
}

function messageOf(error: unknown): string {
  const data = error instanceof ConvexError ? (error.data as unknown) : undefined;
  if (isErrorData(data)) return data.message;
  throw error;
}

/**
 * Before a connection is disconnected (its credential still there): its subscriptions are
 * deleted at the provider, best effort (a failure is logged, the disconnect goes on), and
 * their endpoints removed.
 */
export async function removeSubscriptionsOf(ctx: ActionCtx, row: Doc<"connections">, actor: AuditActor): Promise<void> {
  const endpoints: Doc<"inboundEndpoints">[] = await ctx.runQuery(internal.webhooks.inbound.subscriptions.ofConnection, { connectionId: row._id });
  if (endpoints.length === 0) return;
  const callActor: Actor = actor.kind === "user" && actor.id ? { kind: "user", id: actor.id } : { kind: "system", label: actor.label ?? "Disconnect" };
  for (const endpoint of endpoints) {
    const target = targetOf(endpoint);
    if (!target || !endpoint.subscription) continue;
    const deleted = await deleteAtProvider(ctx, row, target, endpoint.subscription.externalId, callActor);
    if (!deleted.ok) console.warn(`Inbound endpoint ${endpoint.publicId}: the ${endpoint.providerId} subscription was not deleted at the provider on disconnect: ${deleted.message}`);
  }
  await ctx.runMutation(internal.webhooks.inbound.subscriptions.removeEndpoints, { endpointIds: endpoints.map((e) => e._id), actor });
}

/** The org's endpoint, or null. */
export const endpointOf = internalQuery({
  args: { orgId: v.id("organizations"), endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { orgId, endpointId }) => {
    const endpoint = await ctx.db.get(endpointId);
    return endpoint && endpoint.orgId === orgId ? endpoint : null;
  },
});

/** A connection's endpoints (bounded: an org has at most 100). */
export const ofConnection = internalQuery({
  args: { connectionId: v.id("connections") },
  handler: async (ctx, { connectionId }) =>
    await ctx.db
      .query("inboundEndpoints")
      .withIndex("by_connectionId", (q) => q.eq("connectionId", connectionId))
      .take(PER_CONNECTION_MAX),
});

/** Takes back an endpoint whose subscription the provider refused (it never received anything). */
export const discardEndpoint = internalMutation({
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (endpoint && !endpoint.subscription) await ctx.db.delete(endpointId);
  },
});

/** The provider made it: its id, what it watches, Graph's expiry and renewal, Linear's secret. False when the endpoint is gone. */
export const recordCreated = internalMutation({
  args: {
    endpointId: v.id("inboundEndpoints"),
    externalId: v.string(),
    resource: v.string(),
    expiresAt: v.optional(v.number()),
    secretCiphertext: v.optional(v.string()),
  },
  handler: async (ctx, args): Promise<boolean> => {
    const endpoint = await ctx.db.get(args.endpointId);
    if (!endpoint) return false;
    const now = Date.now();
    const renewJobId =
      args.expiresAt === undefined
        ? undefined
        : await ctx.scheduler.runAt(renewalAt(args.expiresAt, now), internal.webhooks.inbound.subscriptions.renew, { endpointId: args.endpointId });
    await ctx.db.patch(args.endpointId, {
      subscription: {
        externalId: args.externalId,
        resource: args.resource,
        ...(args.expiresAt !== undefined ? { expiresAt: args.expiresAt } : {}),
        ...(renewJobId !== undefined ? { renewJobId } : {}),
      },
      ...(args.secretCiphertext !== undefined ? { secret: { ciphertext: args.secretCiphertext, version: 1 }, state: "active" as const } : {}),
    });
    return true;
  },
});

/** Removes endpoints (after their subscriptions were deleted at the provider), cancelling their renewals. */
export const removeEndpoints = internalMutation({
  args: { endpointIds: v.array(v.id("inboundEndpoints")), actor: actorValidator },
  handler: async (ctx, { endpointIds, actor }) => {
    for (const endpointId of endpointIds.slice(0, PER_CONNECTION_MAX)) {
      const endpoint = await ctx.db.get(endpointId);
      if (!endpoint) continue;
      await cancelRenewal(ctx, endpoint);
      await ctx.db.delete(endpointId);
      const org = await ctx.db.get(endpoint.orgId);
      if (org && org.deletedAt === undefined) {
        await recordAudit(ctx, endpoint.orgId, actor as AuditActor, {
          action: "inbound.endpoint_removed",
          providerId: endpoint.providerId,
          subject: endpoint.description,
        });
      }
    }
  },
});

/**
 * Cancels the endpoint's renewal job while it waits. One already running is left to
 * finish: its outcome lands on a row that is gone (and is dropped) or that was given a new
 * job meanwhile (a second renewal, which does no harm); cancelling a running action would
 * also cancel what it schedules.
 */
async function cancelRenewal(ctx: MutationCtx, endpoint: Doc<"inboundEndpoints">) {
  const jobId = endpoint.subscription?.renewJobId;
  if (!jobId) return;
  const job = await ctx.db.system.get(jobId);
  if (job?.state.kind === "pending") await ctx.scheduler.cancel(jobId);
}

/** Replaces the endpoint's renewal job with one that runs at `at` (now, by default). */
async function rescheduleRenewal(ctx: MutationCtx, endpoint: Doc<"inboundEndpoints">, at = Date.now()) {
  if (!endpoint.subscription) return;
  await cancelRenewal(ctx, endpoint);
  const renewJobId = await ctx.scheduler.runAt(at, internal.webhooks.inbound.subscriptions.renew, { endpointId: endpoint._id });
  await ctx.db.patch(endpoint._id, { subscription: { ...endpoint.subscription, renewJobId } });
}

/**
 * Graph sent `reauthorizationRequired`: the subscription is renewed at once (a renewal
 * reauthorizes it [learn.microsoft.com/graph/change-notifications-lifecycle-events]).
 * In the caller's transaction (inbound event processing).
 */
export async function renewNow(ctx: MutationCtx, endpointId: Id<"inboundEndpoints">) {
  const endpoint = await ctx.db.get(endpointId);
  if (endpoint?.subscription?.expiresAt !== undefined) await rescheduleRenewal(ctx, endpoint);
}

/**
 * Graph sent `missed`: some notifications were not delivered. Recorded on the
 * subscription, for the provider page; there is no resync here (no delta query of the
 * resource is run), so what changed meanwhile is not fetched.
 */
export async function recordMissed(ctx: MutationCtx, endpointId: Id<"inboundEndpoints">, at: number) {
  const endpoint = await ctx.db.get(endpointId);
  if (!endpoint?.subscription) return;
  await ctx.db.patch(endpointId, {
    subscription: { ...endpoint.subscription, lastError: `Microsoft missed some notifications (${new Date(at).toISOString()}); changes made then were not delivered.` },
  });
}

/** What a renewal needs: the endpoint with an expiring subscription, and its connection. */
export const forRenewal = internalQuery({
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint?.subscription || endpoint.subscription.expiresAt === undefined || !endpoint.connectionId) return null;
    const connection = await ctx.db.get(endpoint.connectionId);
    return { endpoint, connection };
  },
});

/**
 * One renewal: Graph's PATCH of a later expiry, Jira's PUT /webhook/refresh, or a new
 * Calendar channel (same URL and token) with the old one stopped after. Never throws; the outcome is recorded.
 */
export const renew = internalAction({
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const found: { endpoint: Doc<"inboundEndpoints">; connection: Doc<"connections"> | null } | null = await ctx.runQuery(
      internal.webhooks.inbound.subscriptions.forRenewal,
      { endpointId },
    );
    if (!found) return;
    const { endpoint, connection } = found;
    const target = targetOf(endpoint);
    if (!target || !expires(target) || !endpoint.subscription) return;
    const record = (result: Renewed) => ctx.runMutation(internal.webhooks.inbound.subscriptions.recordRenewal, { endpointId, result });
    const name = resolvedProvider(endpoint.providerId)?.displayName ?? endpoint.providerId;
    if (!connection || connection.status === "disconnected" || connection.status === "error") {
      await record({ ok: false, gone: false, message: `${name} needs to be reconnected before this subscription can be renewed.` });
      return;
    }
    const actor: Actor = { kind: "system", label: SUBSCRIPTION_ACTOR.label! };
    const previous = endpoint.subscription.externalId;
    let renewed: Renewed;
    try {
      // A new Calendar channel carries the same token: the endpoint's secret, opened here.
      const secret = target.providerId === "google-calendar" && endpoint.secret ? await decryptInboundSecret(endpoint.orgId, endpoint.publicId, endpoint.secret.version, endpoint.secret.ciphertext) : null;
      const request = renewRequest(target, previous, { now: Date.now(), url: inboundWebhookUrl(endpoint.providerId, endpoint.publicId), secret, channelId: crypto.randomUUID() });
      renewed = readRenewed(target, await send(ctx, connection, request, actor));
    } catch (error) {
      renewed = { ok: false, gone: false, message: error instanceof VaultDecryptError ? "The subscription's stored secret does not decrypt; subscribe again." : messageOf(error) };
    }
    await record(renewed);
    if (renewed.ok && renewed.externalId !== undefined && renewed.externalId !== previous) {
      const stopped = await deleteAtProvider(ctx, connection, target, previous, actor);
      if (!stopped.ok) console.warn(`Inbound endpoint ${endpoint.publicId}: the replaced ${endpoint.providerId} channel was not stopped: ${stopped.message}`);
    }
  },
});

const renewalResult = v.union(
  v.object({ ok: v.literal(true), expiresAt: v.number(), externalId: v.optional(v.string()) }),
  v.object({ ok: v.literal(false), gone: v.boolean(), message: v.string() }),
);

/**
 * A renewal's outcome: the new expiry and the next renewal; or the error, tried again
 * after RENEW_RETRY_MS while the subscription has not expired; or, when Graph no longer
 * has it, no more renewals (the endpoint stays, saying so, until it is unsubscribed).
 */
export const recordRenewal = internalMutation({
  args: { endpointId: v.id("inboundEndpoints"), result: renewalResult },
  handler: async (ctx, { endpointId, result }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint?.subscription) return;
    const now = Date.now();
    const subscription = endpoint.subscription;
    if (result.ok) {
      const renewJobId = await ctx.scheduler.runAt(renewalAt(result.expiresAt, now), internal.webhooks.inbound.subscriptions.renew, { endpointId });
      await ctx.db.patch(endpointId, {
        subscription: { ...subscription, externalId: result.externalId ?? subscription.externalId, expiresAt: result.expiresAt, lastRenewedAt: now, lastError: undefined, renewJobId },
      });
      return;
    }
    const lastError = truncate(result.message, SUBSCRIPTION_ERROR_MAX_BYTES);
    const retryAt = now + RENEW_RETRY_MS;
    if (result.gone || subscription.expiresAt === undefined || retryAt >= subscription.expiresAt) {
      const expiredError = result.gone ? lastError : `The subscription expired before it could be renewed: ${lastError}`;
      await ctx.db.patch(endpointId, { subscription: { ...subscription, expiresAt: undefined, renewJobId: undefined, lastError: expiredError } });
      return;
    }
    const renewJobId = await ctx.scheduler.runAt(retryAt, internal.webhooks.inbound.subscriptions.renew, { endpointId });
    await ctx.db.patch(endpointId, { subscription: { ...subscription, lastError, renewJobId } });
  },
});

/**
 * The cron's catch-up: every subscription due for renewal (expiring within
 * RENEW_BEFORE_EXPIRY_MS and not expired) whose renewal job is not pending gets one now.
 */
export const sweepRenewals = internalMutation({
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    const due = await ctx.db
      .query("inboundEndpoints")
      .withIndex("by_subscriptionExpiresAt", (q) => q.gt("subscription.expiresAt", now).lte("subscription.expiresAt", now + RENEW_BEFORE_EXPIRY_MS))
      .take(SWEEP_BATCH);
    let restarted = 0;
    for (const endpoint of due) {
      const jobId = endpoint.subscription?.renewJobId;
      const job = jobId ? await ctx.db.system.get(jobId) : null;
      if (job && (job.state.kind === "pending" || job.state.kind === "inProgress")) continue;
      await rescheduleRenewal(ctx, endpoint, now);
      restarted += 1;
    }
    return { restarted };
  },
});
