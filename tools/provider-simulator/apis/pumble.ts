/**
 * Pumble's incoming-webhook receiver: a JSON object whose `text` is a non-empty string
 * (the shape the catalog's connect check and `pumble.post_message` send). What Pumble
 * answers anything else is not documented (?); the simulator answers 400 with a short
 * JSON reason, so a malformed payload fails a test instead of passing unnoticed.
 */
import { json, type SimRequest, type SimResponse } from "../http-utils";

export function pumbleWebhook(req: SimRequest): SimResponse | null {
  if (req.bodyFormat !== "json") return json(400, { error: "The payload must be JSON." });
  const body = req.json as { text?: unknown } | null;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return json(400, { error: "The payload must be a JSON object." });
  if (typeof body.text !== "string" || body.text.trim() === "") return json(400, { error: "text is required." });
  return null;
}
