import { Readable } from "node:stream";
import type { SimRequest, SimResponse } from "./http-utils";
import type { RouteResult } from "./responses";
import type { ProviderRoutes, RouteEndpoint } from "./routes";
import { HUGE_BODY_MIN_BYTES, type ScriptedAnswer, type SimulatorState } from "./state";

/*
 * Answers queued with redirectNext and hugeBodyNext. They replace the provider's answer
 * before any check, since what they test is the client: that it does not follow a
 * redirect, and that it stops reading a body too large to be a real answer.
 */

// Small enough to keep memory flat, large enough that 50 MB is ~800 writes.
const CHUNK_BYTES = 64 * 1024;
// One shared read-only chunk; every padding write is a view of it.
const PADDING = Buffer.alloc(CHUNK_BYTES, "x");
const HEAD = Buffer.from('{"simulated":"huge_body","padding":"');
const TAIL = Buffer.from('"}');
// The wrapper fits the minimum size callers are told about.
if (HEAD.length + TAIL.length > HUGE_BODY_MIN_BYTES) throw new Error("huge body wrapper exceeds its minimum size");

function* hugeJsonChunks(bytes: number): Generator<Buffer> {
  yield HEAD;
  for (let left = bytes - HEAD.length - TAIL.length; left > 0; left -= CHUNK_BYTES) {
    yield PADDING.subarray(0, Math.min(left, CHUNK_BYTES));
  }
  yield TAIL;
}

/**
 * A JSON document of exactly `bytes` bytes. Readable.from pulls the next chunk only when
 * the socket has drained the last ones, so the size costs time, not memory.
 */
export function hugeJsonBody(bytes: number): Readable {
  return Readable.from(hugeJsonChunks(bytes), { objectMode: false, highWaterMark: CHUNK_BYTES });
}

function answer(scripted: ScriptedAnswer): SimResponse {
  switch (scripted.kind) {
    case "redirect":
      return {
        status: scripted.status,
        headers: {
          location: scripted.location,
          "cache-control": "no-store",
          "content-type": "text/plain; charset=utf-8",
        },
        body: `Redirecting to ${scripted.location}`,
      };
    case "huge_body":
      return {
        status: 200,
        headers: {
          "content-type": "application/json; charset=utf-8",
          // Without Content-Length, Node sends the body chunked.
          ...(scripted.contentLength ? { "content-length": String(scripted.bytes) } : {}),
        },
        body: hugeJsonBody(scripted.bytes),
      };
    default:
      return scripted satisfies never;
  }
}

// Path-less entries stand for what failNext calls `api`.
const ANY_API: ReadonlySet<RouteEndpoint> = new Set(["api", "test", "webhook"]);

/** The queued scripted answer for this request, if any (used up). */
export function takeScriptedAnswer(
  state: SimulatorState,
  routes: ProviderRoutes,
  req: SimRequest,
  endpoint: RouteEndpoint,
): RouteResult | null {
  const scripted = state.takeScripted(routes.provider.id, req.path, ANY_API.has(endpoint));
  return scripted ? { providerId: routes.provider.id, endpoint, response: answer(scripted) } : null;
}
