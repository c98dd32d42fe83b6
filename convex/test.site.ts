/**
 * The deployment's HTTP actions (convex/http.ts) behind a real HTTP server on 127.0.0.1,
 * for tests in which something outside the test process calls them: the provider
 * simulator delivering a webhook, or running a provider's URL check. Each request is
 * handed to convex-test's `t.fetch` as it arrived (method, path and query, headers, the
 * raw body bytes) and its Response written back as it is, status, headers and bytes; a
 * redirect stays a redirect.
 * (Two dots in the name: Convex, the test module map and the sandbox all skip this file.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** What serveConvexSite needs of a convex-test backend. */
export type SiteBackend = { fetch(pathQueryFragment: string, init?: RequestInit): Promise<Response> };

export type ConvexSite = {
  /** `http://127.0.0.1:<port>`: the deployment's `.convex.site` URL for this test. */
  url: string;
  close(): Promise<void>;
};

// Connection-level headers belong to the hop between the sender and this server, not to
// the request the HTTP action sees; the body's length is set again from the bytes.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "content-length", "host"]);

function requestHeaders(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  // rawHeaders keeps repeated headers apart (Headers joins them as the platform does).
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1]!);
  }
  return headers;
}

async function readBody(req: http.IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The Response's headers as node:http writes them; every Set-Cookie kept apart. */
function responseHeaders(response: Response): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length" && name !== "transfer-encoding") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  return headers;
}

/**
 * Starts the server; close it in the test's cleanup.
 * @example const site = await serveConvexSite(t); await sim.sendWebhook({ url: `${site.url}/webhooks/github`, … }); await site.close();
 */
export async function serveConvexSite(t: SiteBackend): Promise<ConvexSite> {
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const method = (req.method ?? "GET").toUpperCase();
        const body = await readBody(req);
        const init: RequestInit = { method, headers: requestHeaders(req) };
        if (method !== "GET" && method !== "HEAD") init.body = body;
        const response = await t.fetch(req.url ?? "/", init);
        const bytes = new Uint8Array(await response.arrayBuffer());
        res.writeHead(response.status, { ...responseHeaders(response), "content-length": String(bytes.length) });
        res.end(method === "HEAD" ? undefined : bytes);
      } catch (error) {
        // The HTTP action threw outside its own handling: a 500 naming why, as a deployment's log would.
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`serveConvexSite: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
