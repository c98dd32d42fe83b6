/**
 * The inbound side in plain words, for the events page and the provider page: why a
 * delivery was refused, what an event's status and an endpoint's state mean, and what
 * processing did. One place, so every screen and test reads the same sentence. Pure.
 */
import { VERIFICATION_FAILURES } from "./schemes";
import { MAX_INBOUND_BODY_BYTES } from "./store";

/**
 * Every reason a delivery is refused and counted against its endpoint: the scheme's
 * verification failures, and the two the HTTP action refuses before verifying
 * (convex/webhooks/inbound/receive.ts).
 */
const REFUSAL_WORDS = {
  ...VERIFICATION_FAILURES,
  too_large: `The body is larger than ${MAX_INBOUND_BODY_BYTES / (1024 * 1024)} MB, the most a delivery may be.`,
  awaiting_handshake: "It arrived before the provider's handshake gave the endpoint its secret, so its signature could not be checked.",
} as const satisfies Record<string, string>;

export type RefusalReason = keyof typeof REFUSAL_WORDS;
export const REFUSAL_REASONS = Object.keys(REFUSAL_WORDS) as RefusalReason[];

/** Why a delivery was refused; a reason this build does not know is named as it is. */
export function refusalWords(reason: string): string {
  return Object.hasOwn(REFUSAL_WORDS, reason) ? REFUSAL_WORDS[reason as RefusalReason] : `It was refused (${reason}).`;
}

export type Tone = "success" | "warning" | "danger" | "neutral";

/** An event's status as a badge (its words carry the meaning; the tone only repeats it). */
export const EVENT_STATUS_VIEW = {
  pending: { label: "Pending", tone: "warning", meaning: "Waiting to be processed." },
  processed: { label: "Processed", tone: "success", meaning: "Processing finished." },
  failed: { label: "Retrying", tone: "warning", meaning: "Processing failed; it is tried again." },
  dead: { label: "Dead", tone: "danger", meaning: "Processing failed every attempt; it is not tried again unless replayed." },
} as const satisfies Record<string, { label: string; tone: Tone; meaning: string }>;

export type InboundEventStatusName = keyof typeof EVENT_STATUS_VIEW;

/** An endpoint's state as a badge. */
export const ENDPOINT_STATE_VIEW = {
  active: { label: "Active", tone: "success", meaning: "Deliveries are verified and accepted." },
  awaiting_handshake: {
    label: "Waiting for handshake",
    tone: "warning",
    meaning: "The provider has not yet sent the secret it signs with; deliveries are refused until it does.",
  },
} as const satisfies Record<string, { label: string; tone: Tone; meaning: string }>;

export type EndpointStateName = keyof typeof ENDPOINT_STATE_VIEW;

/** What processing did, in one sentence; null before it has finished once. */
export function outcomeWords(outcome: { workflowRuns: number; connectionChanged: boolean; forwardedAs?: string | null } | null): string | null {
  if (outcome === null) return null;
  const parts = [
    outcome.workflowRuns === 0
      ? "started no workflow run"
      : `started ${outcome.workflowRuns} workflow run${outcome.workflowRuns === 1 ? "" : "s"}`,
    outcome.connectionChanged ? "changed the connection's status" : "left the connection as it was",
  ];
  if (outcome.forwardedAs) parts.push(`forwarded it to your webhook endpoints as ${outcome.forwardedAs}`);
  const sentence = parts.length === 3 ? `${parts[0]}, ${parts[1]} and ${parts[2]}` : `${parts[0]} and ${parts[1]}`;
  return `Processing ${sentence}.`;
}
