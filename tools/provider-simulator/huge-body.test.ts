import { connect as netConnect } from "node:net";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { connectSimulator } from "./control-client";
import { hugeJsonBody } from "./scripted";
import { startSimulator, type RunningSimulator } from "./server";
import { callTest, connect, type Connection } from "./testing";

let sim: RunningSimulator;
let github: Connection;
const consoleErrors = vi.fn();
const consoleWarnings = vi.fn();

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.control.reset();
  sim.control.setAutoApprove(true);
  github = await connect(sim.url, "github");
  vi.spyOn(console, "error").mockImplementation(consoleErrors);
  vi.spyOn(console, "warn").mockImplementation(consoleWarnings);
});
afterEach(() => {
  vi.restoreAllMocks();
  // A client leaving mid-body is expected: the simulator must not report it as an error.
  expect(consoleErrors).not.toHaveBeenCalled();
  expect(consoleWarnings).not.toHaveBeenCalled();
  consoleErrors.mockReset();
  consoleWarnings.mockReset();
});

const MB = 1_000_000;

/** Reads at least `limit` bytes of a body, then cancels it; returns how many bytes arrived. */
async function readThenCancel(response: Response, limit: number): Promise<number> {
  const reader = response.body!.getReader();
  let received = 0;
  while (received < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
  }
  await reader.cancel();
  return received;
}

/** The log entry of the last streamed answer, once the simulator has seen how it ended. */
async function settledStream() {
  return vi.waitFor(() => {
    const entry = sim.control.requests().findLast((e) => e.stream !== undefined);
    if (!entry?.stream || entry.stream.outcome === "streaming") throw new Error("still streaming");
    return entry;
  });
}

/** What GitHub's test request needs: the access token and the catalog's headers. */
function githubHeaders(): Record<string, string> {
  return { authorization: `Bearer ${github.accessToken}`, ...github.provider.defaultHeaders };
}

/** The simulator still answers: health check and the provider's normal test answer. */
async function expectHealthy() {
  expect(await (await fetch(`${sim.url}/_health`)).text()).toBe("ok");
  const test = await callTest(github.provider, github.accessToken);
  expect(test.status).toBe(200);
  expect(await test.json()).toMatchObject({ login: expect.any(String) });
}

describe("hugeBodyNext", () => {
  it("50 MB, chunked: a client reads 1 MB and cancels; the simulator stops and stays healthy", async () => {
    sim.control.hugeBodyNext("github", { bytes: 50 * MB });
    const response = await callTest(github.provider, github.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("content-length")).toBeNull();
    expect(response.headers.get("transfer-encoding")).toBe("chunked");
    expect(await readThenCancel(response, MB)).toBeGreaterThanOrEqual(MB);

    const entry = await settledStream();
    expect(entry).toMatchObject({ endpoint: "test", status: 200, stream: { outcome: "aborted" } });
    // Backpressure: generation stopped near what the client took, far from 50 MB.
    expect(entry.stream!.bytesSent).toBeLessThan(10 * MB);
    await expectHealthy();
  });

  it("with contentLength: the exact size in Content-Length, and valid JSON when read to the end", async () => {
    sim.control.hugeBodyNext("github", { bytes: 3 * MB + 7, contentLength: true });
    const response = await callTest(github.provider, github.accessToken);
    expect(response.headers.get("content-length")).toBe(String(3 * MB + 7));
    const body = await response.text();
    expect(Buffer.byteLength(body)).toBe(3 * MB + 7);
    expect(JSON.parse(body)).toMatchObject({ simulated: "huge_body" });
    expect((await settledStream()).stream).toEqual({ bytesSent: 3 * MB + 7, outcome: "complete" });
  });

  it("a client that aborts right after the headers, with a 50 MB Content-Length promised", async () => {
    sim.control.hugeBodyNext("github", { bytes: 50 * MB, contentLength: true });
    const abort = new AbortController();
    const response = await fetch(`${sim.url}/github/user`, { headers: githubHeaders(), signal: abort.signal });
    expect(response.headers.get("content-length")).toBe(String(50 * MB));
    abort.abort();
    expect((await settledStream()).stream!.outcome).toBe("aborted");
    await expectHealthy();
  });

  it("a socket reset mid-body (ECONNRESET / EPIPE on the simulator's side) is not an error", async () => {
    sim.control.hugeBodyNext("github", { bytes: 50 * MB });
    const { port } = new URL(sim.url);
    const socket = netConnect(Number(port), "127.0.0.1");
    socket.write(
      `GET /github/user HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(githubHeaders())
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("")}\r\n`,
    );
    await new Promise<void>((resolve) => {
      let received = 0;
      socket.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received >= MB) {
          socket.resetAndDestroy();
          resolve();
        }
      });
    });
    expect((await settledStream()).stream!.outcome).toBe("aborted");
    await expectHealthy();
  });

  it("small sizes are exact too, down to the minimum", async () => {
    for (const bytes of [64, 100, 65_536 + 40]) {
      sim.control.hugeBodyNext("github", { bytes });
      const body = await (await callTest(github.provider, github.accessToken)).text();
      expect(Buffer.byteLength(body)).toBe(bytes);
      expect(() => JSON.parse(body)).not.toThrow();
    }
  });

  it("a path limits it to that path; `times` counts down", async () => {
    const slack = await connect(sim.url, "slack");
    sim.control.hugeBodyNext("slack", { bytes: 2 * MB, path: "/slack/api/conversations.list" }, 2);
    expect(await (await callTest(slack.provider, slack.accessToken)).json()).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) {
      const listed = await fetch(`${sim.url}/slack/api/conversations.list`, {
        headers: { authorization: `Bearer ${slack.accessToken}` },
      });
      expect((await listed.text()).length).toBe(2 * MB);
    }
    const normal = await fetch(`${sim.url}/slack/api/conversations.list`, {
      headers: { authorization: `Bearer ${slack.accessToken}` },
    });
    // Past the queued answers, Slack's own answer again (the simulator plays conversations.list).
    expect(await normal.json()).toMatchObject({ ok: true, channels: expect.any(Array) });
  });

  it("the body is generated in chunks of at most 64 KiB, never as one string", async () => {
    // Flowing mode, as pipeline reads it: each 'data' event is one generated chunk.
    const chunks: number[] = [];
    const body = hugeJsonBody(2 * MB);
    body.on("data", (chunk: Buffer) => chunks.push(chunk.length));
    await new Promise((resolve) => body.on("end", resolve));
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(2 * MB);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(64 * 1024);
  });

  it("generates only as fast as the reader drains: a stalled reader holds it at a few chunks", async () => {
    const body = hugeJsonBody(50 * MB);
    // A client that stopped reading: no write ever completes.
    const stalled = new Writable({ highWaterMark: 64 * 1024, write: () => {} });
    body.pipe(stalled);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(body.readableLength + stalled.writableLength).toBeLessThan(MB);
    body.destroy();
    stalled.destroy();
  });

  it('shape "records": an array of API-like records of exactly the size, at any size from the minimum', async () => {
    for (const bytes of [64, 300, 700, 65_536, 215 * 1024, 3 * MB + 1]) {
      sim.control.hugeBodyNext("github", { bytes, shape: "records" });
      const body = await (await callTest(github.provider, github.accessToken)).text();
      expect(Buffer.byteLength(body)).toBe(bytes);
      const parsed = JSON.parse(body) as unknown[];
      expect(Array.isArray(parsed)).toBe(true);
      // All records but the padding string that makes up the size.
      expect(typeof parsed.at(-1)).toBe("string");
      if (bytes >= 65_536) {
        expect(parsed.length).toBeGreaterThan(50);
        expect(parsed[0]).toMatchObject({ id: 100_000, user: { login: "sim-user" }, labels: [{ name: "simulated" }] });
      }
    }
    const chunks: number[] = [];
    const stream = hugeJsonBody(2 * MB, "records");
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.length));
    await new Promise((resolve) => stream.on("end", resolve));
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(2 * MB);
    expect(Math.max(...chunks)).toBeLessThan(70 * 1024);
  });

  it("refuses sizes it cannot produce", () => {
    expect(() => sim.control.hugeBodyNext("github", { bytes: MB, shape: "xml" as "records" })).toThrow(/shape must be/);
    expect(() => sim.control.hugeBodyNext("github", { bytes: 10 })).toThrow(/bytes must be/);
    expect(() => sim.control.hugeBodyNext("github", { bytes: 1.5 * MB + 0.5 })).toThrow(/bytes must be/);
    expect(() => sim.control.hugeBodyNext("github", { bytes: MB, path: "github/user" })).toThrow(/under \/github/);
  });

  it("works from another process: the control client and POST /_control/hugeBodyNext", async () => {
    await connectSimulator(sim.url).hugeBodyNext("github", { bytes: 2 * MB });
    expect(await readThenCancel(await callTest(github.provider, github.accessToken), MB)).toBeGreaterThanOrEqual(MB);
    await settledStream();
    const posted = await fetch(`${sim.url}/_control/hugeBodyNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["github", { bytes: 5 * MB, contentLength: true }, 1] }),
    });
    expect(await posted.json()).toEqual({ result: null });
    const response = await callTest(github.provider, github.accessToken);
    expect(response.headers.get("content-length")).toBe(String(5 * MB));
    await response.body!.cancel();
    await settledStream();
    await expectHealthy();
  });
});
