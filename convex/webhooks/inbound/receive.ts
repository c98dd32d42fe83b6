/**
 * The inbound webhook HTTP action: `/webhooks/<providerId>/<endpointId>` for a
 * subscription's own URL, `/webhooks/<providerId>` for app-level deliveries (Slack,
 * Zoom, a GitHub App) routed by the payload's account. In order:
 *
 * 1. the path names a known provider and (when given) an existing endpoint, else 404
 *    saying nothing more;
 * 2. a body over MAX_INBOUND_BODY_BYTES is refused with 413 (and counted);
 * 3. unsigned handshakes a subscription waits for (Asana, Notion, Graph, Trello HEAD);
 * 4. the raw bytes are verified (lib/inbound/schemes.ts) before anything parses them;
 *    a refusal answers 401, stores nothing and counts against the endpoint;
 * 5. signed handshakes (Slack's challenge, Zoom's validation) are answered;
 * 6. the delivery is read (type, id, account, lifecycle) and stored once per
 *    organization with its processing scheduled; the provider gets 200 at once, well
 *    inside its deadline (Slack's is 3 s).
 */
import { ConvexError } from "convex/values";
import { VaultDecryptError } from "../../../lib/vault";
import { readDelivery, dedupeKey } from "../../../lib/inbound/events";
import { asanaHandshake, graphValidation, linkedinChallenge, notionVerificationToken, slackChallenge, trelloHead, zoomValidation, type HandshakeAnswer } from "../../../lib/inbound/handshakes";
import { toHex } from "../../../lib/inbound/hmac";
import { inboundProvider, parseInboundPath } from "../../../lib/inbound/providers";
import { INBOUND_SCHEMES, oauthClientSigner, verifyDelivery, type InboundDelivery } from "../../../lib/inbound/schemes";
import { MAX_INBOUND_BODY_BYTES, storedHeaders, storedPayload } from "../../../lib/inbound/store";
import { httpAction } from "../../functions";
import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import { inboundWebhookUrl, oauthClientFor, resolvedProvider } from "../../shared/env";
import { decryptInboundSecret, encryptInboundSecret } from "../../shared/secrets";
import type { EndpointForDelivery } from "./ingest";

const NOT_FOUND = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const answer = (a: HandshakeAnswer) => new Response(a.body === "" ? null : a.body, { status: a.status, headers: a.headers });

/** Header names lowercased; a repeated header keeps its values joined as the Fetch API joins them. */
function headersOf(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

/** The body, or null when it is larger than we take (checked on the declared length first, then on what came). */
async function readBody(request: Request): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_INBOUND_BODY_BYTES) return null;
  const body = new Uint8Array(await request.arrayBuffer());
  return body.length > MAX_INBOUND_BODY_BYTES ? null : body;
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}

/** The secrets a delivery may be signed with, newest first; an unreadable one is left out (and logged). */
async function endpointSecrets(endpoint: EndpointForDelivery, now: number): Promise<string[]> {
  const sealed = [endpoint.secret, endpoint.previousSecret && endpoint.previousSecret.expiresAt > now ? endpoint.previousSecret : undefined];
  const secrets: string[] = [];
  for (const secret of sealed) {
    if (!secret) continue;
    try {
      secrets.push(await decryptInboundSecret(endpoint.orgId, endpoint.publicId, secret.version, secret.ciphertext));
    } catch (error) {
      if (!(error instanceof VaultDecryptError)) throw error;
      console.error(`Inbound endpoint ${endpoint.publicId}: a stored secret does not decrypt.`);
    }
  }
  return secrets;
}

/** The OAuth client secret of `providerId` (the simulator's while it plays the providers), or none when it is not configured (logged). */
function oauthClientSecrets(providerId: string): string[] {
  const provider = resolvedProvider(providerId);
  try {
    return provider ? [oauthClientFor(provider).clientSecret] : [];
  } catch (error) {
    if (!(error instanceof ConvexError)) throw error;
    console.error(`Inbound ${providerId} webhook refused: the ${providerId} OAuth client is not configured on this deployment.`);
    return [];
  }
}

/** Unsigned handshakes, answered only for an endpoint (never at the app-level URL). */
async function unsignedHandshake(ctx: ActionCtx, endpoint: EndpointForDelivery, request: Request, headers: Record<string, string>, body: Uint8Array): Promise<Response | null> {
  switch (endpoint.scheme) {
    case "trello": {
      const head = trelloHead(request.method);
      return head ? answer(head) : null;
    }
    case "microsoft_graph": {
      // Graph POSTs ?validationToken= when a subscription is created; echoing it grants nothing.
      const validation = graphValidation(request.url);
      return validation ? answer(validation) : null;
    }
    case "asana": {
      if (endpoint.state !== "awaiting_handshake") return null;
      const handshake = asanaHandshake(headers);
      if (!handshake) return null;
      return (await takeSecret(ctx, endpoint, handshake.secret, false)) ? answer(handshake.answer) : json(409, { error: "This endpoint already has its secret." });
    }
    case "notion": {
      if (endpoint.state !== "awaiting_handshake") return null;
      const token = notionVerificationToken(parseJson(body));
      if (token === null) return null;
      return (await takeSecret(ctx, endpoint, token, true)) ? json(200, { ok: true }) : json(409, { error: "This endpoint already has its secret." });
    }
    default:
      return null;
  }
}

async function takeSecret(ctx: ActionCtx, endpoint: EndpointForDelivery, secret: string, reveal: boolean): Promise<boolean> {
  const version = (endpoint.secret?.version ?? 0) + 1;
  const ciphertext = await encryptInboundSecret(endpoint.orgId, endpoint.publicId, version, secret);
  return await ctx.runMutation(internal.webhooks.inbound.ingest.completeHandshake, { endpointId: endpoint._id, ciphertext, version, reveal });
}

async function refuse(ctx: ActionCtx, endpointId: Id<"inboundEndpoints"> | null, status: number, reason: string): Promise<Response> {
  if (endpointId !== null) await ctx.runMutation(internal.webhooks.inbound.ingest.recordRefusal, { endpointId, reason });
  else console.warn(`Inbound webhook refused at an app-level URL: ${reason}`);
  return json(status, { error: status === 413 ? "The body is too large." : "The delivery could not be verified." });
}

export const receive = httpAction(async (ctx, request) => {
  const url = new URL(request.url);
  const route = parseInboundPath(url.pathname);
  if (!route) return NOT_FOUND();
  const provider = inboundProvider(route.providerId)!;
  const receivedAt = Date.now();

  let endpoint: EndpointForDelivery | null = null;
  let secrets: string[];
  if (route.endpointId !== null) {
    endpoint = await ctx.runQuery(internal.webhooks.inbound.ingest.endpointForDelivery, { publicId: route.endpointId, providerId: route.providerId });
    if (!endpoint) return NOT_FOUND();
  } else if (!provider.app) {
    return NOT_FOUND();
  }

  // GET (and HEAD, which Convex serves with the GET route) exists only for handshakes.
  const isRead = request.method === "GET" || request.method === "HEAD";
  const body: Uint8Array<ArrayBuffer> | null = isRead ? new Uint8Array() : await readBody(request);
  if (body === null) return await refuse(ctx, endpoint?._id ?? null, 413, "too_large");
  const headers = headersOf(request);

  if (endpoint) {
    const handshake = await unsignedHandshake(ctx, endpoint, request, headers, body);
    if (handshake) return handshake;
    if (isRead) return NOT_FOUND();
    if (endpoint.state === "awaiting_handshake") return await refuse(ctx, endpoint._id, 401, "awaiting_handshake");
    // Jira's dynamic webhooks are signed with the OAuth app's client secret: deployment
    // config, the same for every endpoint, so the row keeps none and it is read here.
    const signer = oauthClientSigner(endpoint.scheme);
    secrets = signer === null ? await endpointSecrets(endpoint, receivedAt) : oauthClientSecrets(signer);
  } else {
    // LinkedIn signs with its app's OAuth client secret (the simulator's while it plays LinkedIn).
    const signer = oauthClientSigner(provider.scheme);
    const secret = signer !== null ? oauthClientSecrets(signer)[0] : process.env[provider.app!.secretEnv];
    if (!secret) {
      console.error(`Inbound ${route.providerId} webhook refused: ${provider.app!.secretEnv} is not set on this deployment.`);
      return NOT_FOUND();
    }
    if (isRead) {
      // LinkedIn's URL validation: GET ?challengeCode=, answered with its HMAC.
      const challenge = provider.scheme === "linkedin" ? await linkedinChallenge(request.url, secret) : null;
      return challenge ? answer(challenge) : NOT_FOUND();
    }
    secrets = [secret];
  }

  const scheme = endpoint?.scheme ?? provider.scheme;
  // Trello signs the callback URL as it was registered: the one we build, not whatever
  // host or proxy the request came through.
  const registeredUrl = inboundWebhookUrl(route.providerId, route.endpointId ?? undefined);
  const delivery: InboundDelivery = { method: request.method, headers, body, url: registeredUrl, receivedAt };
  const verified = secrets.length === 0 ? ({ ok: false, reason: "bad_signature" } as const) : await verifyDelivery(scheme, delivery, secrets);
  if (!verified.ok) return await refuse(ctx, endpoint?._id ?? null, 401, verified.reason);

  const parsed = parseJson(body);
  if (scheme === "slack") {
    const challenge = slackChallenge(parsed);
    if (challenge) return answer(challenge);
  }
  if (scheme === "zoom") {
    const validation = await zoomValidation(parsed, secrets[0]!);
    if (validation) return answer(validation);
  }

  const reading = readDelivery(scheme, { headers, body: parsed });
  // The body's hash stands in for a delivery id only where the provider sends none.
  const bodyHash = reading.deliveryId === null ? toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", body))) : "";
  let targets: Array<{ orgId: Id<"organizations">; connectionId?: Id<"connections">; endpointId?: Id<"inboundEndpoints"> }>;
  if (endpoint) {
    targets = [{ orgId: endpoint.orgId, endpointId: endpoint._id, ...(endpoint.connectionId ? { connectionId: endpoint.connectionId } : {}) }];
  } else {
    // An app-level delivery about an account nobody here connected is acknowledged and dropped.
    targets = reading.accountIds.length === 0 ? [] : await ctx.runQuery(internal.webhooks.inbound.ingest.appTargets, { providerId: route.providerId, accountIds: reading.accountIds });
  }
  if (targets.length > 0) {
    // A secret can travel in the body itself (Graph's clientState): stored text never holds one.
    const stored = storedPayload(body, parsed, secrets);
    await ctx.runMutation(internal.webhooks.inbound.ingest.store, {
      targets,
      providerId: route.providerId,
      type: reading.type,
      dedupeKey: dedupeKey(scheme, reading, bodyHash),
      ...(reading.deliveryId !== null ? { deliveryId: reading.deliveryId } : {}),
      verification: INBOUND_SCHEMES[scheme].label,
      headers: storedHeaders(headers, secrets),
      payload: stored.payload,
      payloadBytes: stored.bytes,
      payloadTruncated: stored.truncated,
      ...(reading.lifecycle ? { lifecycle: reading.lifecycle } : {}),
      receivedAt,
    });
  }
  // Graph asks for 202 Accepted [learn.microsoft.com/graph/change-notifications-delivery-webhooks].
  return scheme === "microsoft_graph" ? new Response(null, { status: 202 }) : json(200, { ok: true });
});
