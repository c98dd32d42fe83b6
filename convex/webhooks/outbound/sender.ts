"use node";
/**
 * One delivery attempt of one message: load it, open its endpoint's secrets (the
 * current one, and the previous one while its rotation overlap lasts), sign this
 * attempt, send it through the SSRF-safe sender, and report the ending to
 * `deliveries.recordAttempt`, which decides what follows (lib/webhooks/schedule.ts).
 */
import { v } from "convex/values";
import { redactText, truncate } from "../../../lib/redact";
import { ATTEMPT_TIMEOUT_MS, messageIdHeader, signedHeaders, type AttemptEnding } from "../../../lib/webhooks";
import { internalAction } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import { outboundUrlOptions } from "../../shared/env";
import { decryptWebhookSecret } from "../../shared/secrets";
import { sendSafely, systemResolver, type Resolver } from "../../shared/safeHttp";

const USER_AGENT = "Switchboard-Webhooks/1.0";
/** Bytes of a receiver's answer read; the log keeps a shorter excerpt. */
const MAX_RESPONSE_BYTES = 16 * 1024;
/** Bytes of the answer kept in the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export const deliver = internalAction({
  args: { messageId: v.id("webhookMessages") },
  handler: async (ctx, { messageId }): Promise<null> => {
    await deliverMessage(ctx, messageId, systemResolver);
    return null;
  },
});

type Loaded = { message: Doc<"webhookMessages">; endpoint: Doc<"webhookEndpoints"> };

/** One attempt of `messageId` (see the module comment), resolving host names with `resolve`. */
export async function deliverMessage(ctx: ActionCtx, messageId: Id<"webhookMessages">, resolve: Resolver): Promise<void> {
  const loaded: Loaded | null = await ctx.runQuery(internal.webhooks.outbound.deliveries.forDelivery, { messageId });
  if (!loaded) return;
  const { message, endpoint } = loaded;
  const attempt = message.attempts + 1;
  const at = Date.now();
  const secrets = await openSecrets(endpoint, at);
  let ending: AttemptEnding;
  let excerpt = "";
  let latencyMs = 0;
  if (secrets === null) {
    ending = { kind: "refused", message: "The endpoint's signing secret could not be read; rotate it." };
  } else {
    const headers = await signedHeaders({
      id: messageIdHeader(message._id),
      timestampSeconds: Math.floor(at / 1000),
      body: message.body,
      secrets,
    });
    const sent = await sendSafely(endpoint.url, { method: "POST", headers: { ...headers, "user-agent": USER_AGENT }, body: message.body }, {
      resolve,
      allowLoopback: outboundUrlOptions().allowLoopback === true,
      timeoutMs: ATTEMPT_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    ending = sent.ending;
    latencyMs = sent.latencyMs;
    excerpt = truncate(redactText(sent.body, [...secrets, headers["webhook-signature"]!]), RESPONSE_EXCERPT_BYTES);
  }
  await ctx.runMutation(internal.webhooks.outbound.deliveries.recordAttempt, {
    messageId,
    attempt,
    at,
    ending,
    latencyMs,
    ...(excerpt ? { responseExcerpt: excerpt } : {}),
  });
}

/** The secrets that sign at `now`, newest first, or null when one does not decrypt. */
async function openSecrets(endpoint: Doc<"webhookEndpoints">, now: number): Promise<string[] | null> {
  try {
    const current = await decryptWebhookSecret(endpoint.orgId, endpoint.publicId, endpoint.secret.version, endpoint.secret.ciphertext);
    const previous = endpoint.previousSecret;
    if (!previous || previous.expiresAt <= now) return [current];
    return [current, await decryptWebhookSecret(endpoint.orgId, endpoint.publicId, previous.version, previous.ciphertext)];
  } catch {
    return null;
  }
}
