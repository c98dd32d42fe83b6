/**
 * sendRequest against real HTTP servers on 127.0.0.1: one that answers as told and
 * a second origin that records whether anything ever reached it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { providerHeaders, type ProviderRequest } from "./request";
import { sendRequest } from "./send";

type Handler = Parameters<typeof createServer>[1] & {};
let handler: Handler = (_req, res) => res.end("ok");
let server: Server;
let trap: Server;
let trapHits = 0;
let base = "";
let trapUrl = "";

const listen = (s: Server) =>
  new Promise<string>((resolve) => s.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  trap = createServer((_req, res) => {
    trapHits += 1;
    res.end("caught");
  });
  base = await listen(server);
  trapUrl = await listen(trap);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => trap.close(resolve));
});

const get = (path: string): ProviderRequest => ({
  purpose: "call",
  method: "GET",
  url: new URL(path, base),
  headers: providerHeaders({ defaultHeaders: {} }, { Authorization: "Bearer secret" }),
});

describe("sendRequest", () => {
  test.each([301, 302, 303, 307, 308])("a %i to another origin is an answer: nothing is sent there", async (status) => {
    handler = (_req, res) => {
      res.writeHead(status, { Location: `${trapUrl}/steal` });
      res.end();
    };
    const result = await sendRequest(get("/redirect"));
    expect(result).toMatchObject({ kind: "response", status });
    expect(trapHits).toBe(0);
  });

  test("a 50 MB answer is cut at the cap, flagged truncated, and the rest is never read", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    let written = 0;
    let closedEarly = false;
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.on("close", () => (closedEarly = written < 50 * 1024 * 1024));
      const pump = () => {
        while (written < 50 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    };
    const result = await sendRequest(get("/huge"), { maxResponseBytes: 1024 * 1024 });
    if (result.kind !== "response") throw new Error(result.kind);
    expect(result.bodyTruncated).toBe(true);
    expect(result.body.length).toBe(1024 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedEarly).toBe(true);
  });

  test("an answer under the cap is whole; a multi-byte character cut at the cap is dropped, not garbled", async () => {
    handler = (_req, res) => res.end("héllo");
    expect(await sendRequest(get("/small"))).toMatchObject({ body: "héllo", bodyTruncated: false });
    expect(await sendRequest(get("/small"), { maxResponseBytes: 2 })).toMatchObject({ body: "h", bodyTruncated: true });
    expect(await sendRequest(get("/small"), { maxResponseBytes: 3 })).toMatchObject({ body: "hé", bodyTruncated: true });
  });

  test("a cap that falls in a later chunk, inside a 3- or 4-byte character, drops only that character", async () => {
    const text = `${"a".repeat(70_000)}€🔑${"b".repeat(70_000)}`;
    handler = (_req, res) => {
      // Several writes, so the body arrives in several chunks.
      for (let at = 0; at < text.length; at += 16_384) res.write(text.slice(at, at + 16_384));
      res.end();
    };
    expect(await sendRequest(get("/chunks"))).toMatchObject({ body: text, bodyTruncated: false });
    for (const [cap, body] of [
      [70_001, "a".repeat(70_000)],
      [70_002, "a".repeat(70_000)],
      [70_003, `${"a".repeat(70_000)}€`],
      [70_006, `${"a".repeat(70_000)}€`],
      [70_007, `${"a".repeat(70_000)}€🔑`],
    ] as const) {
      expect(await sendRequest(get("/chunks"), { maxResponseBytes: cap })).toMatchObject({ body, bodyTruncated: true });
    }
  });

  test("Retry-After is read; the request carries the default headers", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    handler = (req, res) => {
      seen = req.headers;
      res.writeHead(429, { "Retry-After": "7" });
      res.end();
    };
    expect(await sendRequest(get("/limited"))).toMatchObject({ status: 429, retryAfterSeconds: 7 });
    expect(seen.accept).toBe("application/json");
    expect(seen["user-agent"]).toBe("Switchboard/1.0");
  });

  test("no answer in time is a timeout; a closed port is a network error", async () => {
    handler = () => undefined;
    expect(await sendRequest(get("/slow"), { timeoutMs: 100 })).toEqual({ kind: "timeout" });
    const closed = { ...get("/"), url: new URL("http://127.0.0.1:9/") };
    expect(await sendRequest(closed)).toEqual({ kind: "network_error" });
  });
  test("an answer that stalls or breaks off after its headers is a timeout or a network error", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("partial");
    };
    expect(await sendRequest(get("/stall"), { timeoutMs: 200 })).toEqual({ kind: "timeout" });
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "1000" });
      res.write("partial", () => res.destroy());
    };
    expect(await sendRequest(get("/broken"))).toEqual({ kind: "network_error" });
  });

  test("an answer without a body reads as an empty one", async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    expect(await sendRequest(get("/empty"))).toMatchObject({ kind: "response", status: 204, body: "", bodyTruncated: false });
  });

  test("an answer of exactly the cap is whole, not truncated", async () => {
    handler = (_req, res) => res.end("abcdef");
    expect(await sendRequest(get("/exact"), { maxResponseBytes: 6 })).toMatchObject({ body: "abcdef", bodyTruncated: false });
  });

  test("a cap inside the very first character, or inside a character starting with 0xE0, drops it whole", async () => {
    handler = (_req, res) => res.end("€uro");
    expect(await sendRequest(get("/first"), { maxResponseBytes: 1 })).toMatchObject({ body: "", bodyTruncated: true });
    expect(await sendRequest(get("/first"), { maxResponseBytes: 2 })).toMatchObject({ body: "", bodyTruncated: true });
    handler = (_req, res) => res.end("a\u0800b");
    expect(await sendRequest(get("/e0"), { maxResponseBytes: 3 })).toMatchObject({ body: "a", bodyTruncated: true });
  });
});
