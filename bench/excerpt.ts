/**
 * The call log's response excerpt at a given answer size: the bounded walk the
 * pipeline runs (`responseExcerpt`) against the whole-document way it replaced (parse
 * the body, deep-copy it redacting secret-named keys, serialise, redact known secrets,
 * then cut to 2 KB), on the simulator's API-like record lists. Same input, same
 * secrets, same 2 KB out; nothing else is timed.
 */
import { CALL_LOG_EXCERPT_BYTES, responseExcerpt } from "../lib/pipeline";
import { redactFormBody, redactHeaders, redactJson, redactText, truncate } from "../lib/redact";
import { hugeJsonBody } from "../tools/provider-simulator/scripted";
import { rotated, summarise } from "./stats";

/** The excerpt as it was made before it was bounded, kept here as the contrast. */
function wholeDocumentExcerpt(response: { status: number; headers: Record<string, string>; body: string }, secrets: string[]) {
  const type = (response.headers["content-type"] ?? "").toLowerCase();
  let body: unknown = response.body;
  if (type.includes("json") || /^\s*[[{]/.test(response.body)) {
    try {
      body = redactJson(JSON.parse(response.body));
    } catch {
      // text
    }
  } else if (type.includes("x-www-form-urlencoded")) body = redactFormBody(response.body);
  const text = JSON.stringify({ status: response.status, headers: redactHeaders(response.headers), body });
  return truncate(redactText(text, secrets), CALL_LOG_EXCERPT_BYTES);
}

async function recordsBody(bytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of hugeJsonBody(bytes, "records")) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function benchExcerpt(bytes: number, rounds: number) {
  const response = {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "x-github-request-id": "B3NC:H000:1" },
    body: await recordsBody(bytes),
  };
  // The connection's access and refresh token, as a call holds them.
  const secrets = [`gho_${"a1".repeat(20)}`, `ghr_${"b2".repeat(38)}`];
  const contenders = {
    bounded: { run: async () => responseExcerpt(response, secrets) },
    whole: { run: async () => wholeDocumentExcerpt(response, secrets) },
  };
  await rotated(Math.max(20, rounds / 10), contenders);
  const samples = await rotated(rounds, contenders);
  const same = responseExcerpt(response, secrets).replace(/…\[truncated \d+ bytes\]$/, "");
  if (!wholeDocumentExcerpt(response, secrets).startsWith(same)) throw new Error("the two excerpts disagree");
  return { bytes, bounded: summarise(samples.bounded), whole: summarise(samples.whole) };
}
