import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream";
import { catalog, getProvider, type OAuth2Provider } from "../../lib/providers/index";
import { handleApi, handleWebhook } from "./api";
import { CONTROL_PREFIX, handleControl } from "./control-http";
import { json, readRequest, text, type SimRequest, type SimResponse } from "./http-utils";
import { handleMailApi, handleMailbox, MAIL_API_PREFIX, MAILBOX_PATH } from "./mail";
import { handleAuthorize, handleConsent, handleRevoke, handleToken } from "./oauth";
import { notFound, type HandlerContext, type RouteResult } from "./responses";
import { providerRoutes, routeEndpoint } from "./routes";
import { takeScriptedAnswer } from "./scripted";
import { createControl, SimulatorState, type RequestLogEntry, type SimulatorControl } from "./state";

export type SimulatorOptions = {
  /** 0 picks a free port. */
  port?: number;
  /** Skip the consent page: authorize redirects back with a code at once. */
  autoApprove?: boolean;
};

export type RunningSimulator = {
  /** `http://127.0.0.1:<port>`: pass it as `simulatorBaseUrl` to `resolveEndpoints`. */
  url: string;
  port: number;
  control: SimulatorControl;
  close(): Promise<void>;
};

const LOGO_DIR = new URL("../../public/providers/", import.meta.url);

async function serveLogo(req: SimRequest): Promise<RouteResult> {
  const id = /^\/_assets\/providers\/([a-z0-9-]+)\.svg$/.exec(req.path)?.[1];
  if (!id || !getProvider(id)) return notFound(req, null);
  const svg = await readFile(new URL(`${id}.svg`, LOGO_DIR), "utf8");
  return {
    providerId: id,
    endpoint: "asset",
    response: { status: 200, headers: { "content-type": "image/svg+xml" }, body: svg },
  };
}

function index(ctx: HandlerContext): RouteResult {
  const providers = [...providerRoutes.values()].map((r) => ({
    id: r.provider.id,
    authKind: r.provider.authKind,
    authorize: r.authorizePath,
    token: r.tokenPath,
    revoke: r.revoke?.pattern.source,
    api: r.apiBasePath,
    test: r.testPath,
    webhooks: r.webhookPaths,
  }));
  return {
    providerId: null,
    endpoint: "meta",
    response: json(200, {
      simulator: "switchboard provider simulator",
      url: ctx.baseUrl,
      providers,
      mail: { api: `${MAIL_API_PREFIX}/emails`, mailbox: MAILBOX_PATH },
    }),
  };
}

async function dispatch(ctx: HandlerContext, control: SimulatorControl, req: SimRequest): Promise<RouteResult> {
  if (req.path.startsWith(CONTROL_PREFIX)) return handleControl(control, req);
  if (req.path === "/_consent") {
    return handleConsent(ctx, req, (id) => getProvider(id) as OAuth2Provider);
  }
  if (req.path.startsWith("/_assets/")) return serveLogo(req);
  if (req.path === "/" && req.method === "GET") return index(ctx);
  if (req.path === "/_health") return { providerId: null, endpoint: "meta", response: text(200, "ok") };
  if (req.path === MAIL_API_PREFIX || req.path.startsWith(`${MAIL_API_PREFIX}/`)) return handleMailApi(ctx.state.mailbox, req);
  if (req.path === MAILBOX_PATH || req.path.startsWith(`${MAILBOX_PATH}/`)) return handleMailbox(ctx.state.mailbox, req);

  const providerId = req.path.split("/")[1] ?? "";
  const routes = providerRoutes.get(providerId);
  if (!routes) return notFound(req, null, `known providers: ${catalog.map((p) => p.id).join(", ")}`);
  const latency = ctx.state.latencyMs.get(providerId);
  if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
  const endpoint = routeEndpoint(routes, req);
  const scripted = takeScriptedAnswer(ctx.state, routes, req, endpoint);
  if (scripted) return scripted;
  switch (endpoint) {
    case "authorize":
      return handleAuthorize(ctx, routes, req);
    case "token":
    case "refresh":
      return handleToken(ctx, routes, req);
    case "revoke":
      return handleRevoke(ctx, routes, req, routes.revoke!.pattern.exec(req.path)?.groups?.clientId);
    case "webhook":
      return handleWebhook(ctx, routes, req) ?? notFound(req, providerId, "not an incoming-webhook path");
    case "test":
    case "api":
      return handleApi(ctx, routes, req);
    case "unknown":
      return routes.webhookPaths
        ? notFound(req, providerId, "not an incoming-webhook path")
        : notFound(req, providerId, `outside ${providerId}'s API base ${routes.apiBasePath ?? ""}`);
    default:
      return endpoint satisfies never;
  }
}

/**
 * Writes an answer. A streamed body goes through pipeline, which waits for the socket to
 * drain and, when the client leaves mid-body, destroys the source instead of throwing:
 * a client cancelling a huge answer is what the test wants, not an error.
 */
function write(res: ServerResponse, response: SimResponse, entry: RequestLogEntry | null): void {
  if (response.reset) {
    // A TCP RST, not a clean close: the client sees ECONNRESET, as from a crashed server.
    res.socket?.resetAndDestroy();
    return;
  }
  res.writeHead(response.status, response.headers);
  const { body } = response;
  if (typeof body === "string") {
    res.end(body);
    return;
  }
  const stream: NonNullable<RequestLogEntry["stream"]> = { bytesSent: 0, outcome: "streaming" };
  if (entry) entry.stream = stream;
  body.on("data", (chunk: Buffer) => (stream.bytesSent += chunk.length));
  pipeline(body, res, (error) => {
    stream.outcome = error ? "aborted" : "complete";
  });
}

/**
 * Starts the provider simulator on 127.0.0.1: fake OAuth servers and APIs for every
 * catalog provider under `/<providerId>/…`, plus a control API.
 * @example const sim = await startSimulator({ autoApprove: true }); … await sim.close();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const state = new SimulatorState(options.autoApprove ?? false);
  const ctx: HandlerContext = { state, baseUrl: "" };
  const control = createControl(state, () => ctx.baseUrl);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    void (async () => {
      let result: RouteResult;
      let request: SimRequest | null = null;
      try {
        request = await readRequest(req, ctx.baseUrl);
        result = await dispatch(ctx, control, request);
      } catch (error) {
        result = {
          providerId: null,
          endpoint: "unknown",
          response: json(500, {
            error: "simulator_error",
            message: error instanceof Error ? error.message : String(error),
          }),
        };
      }
      write(res, result.response, log(req, request, result, started));
    })();
  });

  /** Records a request (never control calls); returns the entry so a stream can report on it. */
  function log(
    req: IncomingMessage,
    request: SimRequest | null,
    result: RouteResult,
    started: number,
  ): RequestLogEntry | null {
    if (result.endpoint === "control") return null;
    const url = request?.url ?? new URL(req.url ?? "/", ctx.baseUrl);
    const entry: RequestLogEntry = {
      seq: ++state.seq,
      at: Date.now(),
      simulatedAt: state.now(),
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      queryKeys: [...new Set(url.searchParams.keys())],
      providerId: result.providerId,
      endpoint: result.endpoint,
      status: result.response.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    };
    state.log.push(entry);
    return entry;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: ctx.baseUrl,
    port,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
