/**
 * Pumble: a message posted to a channel through the incoming webhook URL the connection
 * stores (pumble.com/help/integrations/add-pumble-apps/incoming-webhooks-for-pumble). The
 * runner sends to that URL (path "", no query); the URL is the credential. The payload is
 * JSON `{ "text": … }`, as the catalog's connect check sends it; a length limit for `text`
 * is not documented (?), so the action keeps to 10,000 characters. What Pumble answers a
 * removed webhook is not documented either (?): 401, 403, 404 and 410 are read as "this
 * URL no longer works", which a new webhook URL (reconnecting) fixes.
 */
import { z } from "zod";
import { defineAction, type ActionAnswer } from "../define";
import { failureOfStatus, type ActionFailure } from "../errors";

const PUMBLE = "Pumble";
export const MAX_TEXT = 10_000;

/** A Pumble webhook answer's failure, or null for a 2xx. */
export function pumbleFailure(answer: ActionAnswer): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  if (status === 401 || status === 403 || status === 404 || status === 410) {
    return {
      code: "auth_revoked",
      message: `Pumble no longer accepts this webhook URL (HTTP ${status}): create a new incoming webhook and reconnect Pumble.`,
      retryable: false,
      status,
    };
  }
  if (status === 400 || status === 413 || status === 422) {
    const said = status === 413 ? "the message is too large" : "Pumble refused the message";
    return { code: "invalid_input", message: `Pumble refused the input: ${said} (HTTP ${status}).`, retryable: false, fields: { text: said }, status };
  }
  return failureOfStatus(answer, PUMBLE);
}

export const pumblePostMessage = defineAction({
  id: "pumble.post_message",
  version: 1,
  providerId: "pumble",
  title: "Post a message",
  description: "Posts a message to the channel of the connection's incoming webhook.",
  effect: "write",
  scopes: [],
  input: z.object({
    text: z
      .string()
      .refine((text) => text.trim() !== "", "Write the message.")
      .max(MAX_TEXT, `At most ${MAX_TEXT.toLocaleString("en-US")} characters.`)
      .meta({ title: "Message", description: "Plain text; Pumble renders its markdown.", examples: ["Deploy finished"] }),
  }),
  output: z.object({ delivered: z.literal(true) }),
  request: (input) => ({ method: "POST", path: "", body: { json: { text: input.text } }, maxAttempts: 1 }),
  response: (answer) => {
    const failure = pumbleFailure(answer);
    return failure ? { ok: false, error: failure } : { ok: true, output: { delivered: true as const } };
  },
});

export const pumbleActions = [pumblePostMessage];
