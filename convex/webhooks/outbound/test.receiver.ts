/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 that keeps every
 * request it got (headers and raw body) and answers as the test says.
 * (Two dots in the name: Convex, the test module map and the sandbox all skip this file.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { at: number; path: string; headers: Record<string, string>; body: string };
export type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** `answer` returning null leaves the request hanging (a receiver that never answers). */
export async function startReceiver(answer: (request: Received, index: number) => Answer | null = () => ({ status: 200, body: "ok" })) {
  const received: Received[] = [];
  let respond = answer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: Received = {
        at: Date.now(),
        path: req.url ?? "/",
        headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)])),
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const reply = respond(request, received.length - 1);
      if (reply === null) return;
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Changes how later requests are answered. */
    answerWith(next: typeof answer) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
