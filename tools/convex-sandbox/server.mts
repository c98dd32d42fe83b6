/**
 * The offline Convex sandbox: the app's `convex/` functions on convex-test, served
 * over Convex's client protocols so the unmodified `ConvexReactClient`,
 * `ConvexClient` and `ConvexHttpClient` work against it.
 *
 * @example
 * const sandbox = await startSandbox({ convexDir: "convex", port: 0, sitePort: 0 });
 * const client = new ConvexClient(sandbox.url);
 * await sandbox.close();
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, resolve } from "node:path";
import type { SchemaDefinition } from "convex/server";
import type { JSONValue } from "convex/values";
import { WebSocketServer } from "ws";
import { handleAdmin } from "./admin.mjs";
import { TokenVerifier, type AuthConfig } from "./auth.mjs";
import { Backend, type CallOutcome } from "./backend.mjs";
import { CronDriver, cronJobsOf } from "./crons.mjs";
import { applyEnvironment, buildEnvironment } from "./env.mjs";
import { CORS_HEADERS, handleHttpApi } from "./http-api.mjs";
import { sendJson } from "./http-util.mjs";
import { FunctionRegistry, importConfigFile, scanModules } from "./modules.mjs";
import { handleSiteRequest, patchRouterUrls } from "./site-server.mjs";
import { MutationLog, SyncSession } from "./sync-protocol.mjs";

export type SandboxOptions = {
  /** The app's functions directory. Default: `./convex`. */
  convexDir?: string;
  /** Port of the deployment URL (sync WebSocket, HTTP API, admin). 0 picks a free one. Default 3210. */
  port?: number;
  /** Port of the site URL (HTTP actions). 0 picks a free one. Default 3211. */
  sitePort?: number;
  /** Environment values for the functions; they win over the env file. */
  env?: Record<string, string>;
  /** A `.env.local`-style file; default `<convexDir>/../.env.local` when it exists; null for none. */
  envFile?: string | null;
  /** No function log lines on the output. */
  quiet?: boolean;
  /** Drive `convex/crons.ts`. Default true. */
  crons?: boolean;
  /** How often every socket gets a Ping (the client reconnects after 60 s of silence). Default 15 s. */
  pingIntervalMs?: number;
  /** Where output lines go. Default: standard error. */
  print?: (line: string) => void;
};

export type Sandbox = {
  /** The deployment URL, for `new ConvexClient(url)` / `NEXT_PUBLIC_CONVEX_URL`. */
  url: string;
  /** The site URL serving `convex/http.ts` (`CONVEX_SITE_URL`). */
  siteUrl: string;
  /** Authorizes `ConvexHttpClient.setAdminAuth(adminKey)` and `Authorization: Convex <adminKey>`. */
  adminKey: string;
  /** The environment the functions see (generated values included). */
  env: Record<string, string>;
  /** Empties the database and pushes the empty results to subscribers. */
  reset(): Promise<void>;
  /** Every table as Convex JSON. */
  exportTables(): Promise<Record<string, JSONValue[]>>;
  /** Runs any function (internal ones too) by `module/path:name`. */
  run(name: string, args?: JSONValue): Promise<CallOutcome>;
  close(): Promise<void>;
};

const SYNC_PATH = /^\/api\/[^/]+\/sync$/;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolveListen((server.address() as { port: number }).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolveClose) => server.close(() => resolveClose()));
}

/** Wraps a handler so a thrown error becomes a 500 instead of a hung request. */
function guarded(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: "InternalServerError", message: String(error) }, CORS_HEADERS);
      else res.end();
    });
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const convexDir = resolve(options.convexDir ?? "convex");
  const print = options.quiet ? () => {} : (options.print ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const cloudServer = createServer();
  const siteServer = createServer();
  const port = await listen(cloudServer, options.port ?? 3210);
  const sitePort = await listen(siteServer, options.sitePort ?? 3211);
  const url = `http://127.0.0.1:${port}`;
  const siteUrl = `http://127.0.0.1:${sitePort}`;

  // The environment must be in place before the modules load: some read it at import.
  const defaultEnvFile = resolve(dirname(convexDir), ".env.local");
  const envFile = options.envFile === undefined ? (existsSync(defaultEnvFile) ? defaultEnvFile : undefined) : options.envFile;
  const env = await buildEnvironment({ envFile: envFile ?? undefined, env: options.env, cloudUrl: url, siteUrl });
  applyEnvironment(env);

  const modules = scanModules(convexDir);
  const registry = new FunctionRegistry(convexDir, modules);
  const schema = (await registry.module("schema"))?.default as SchemaDefinition<never, boolean> | undefined;
  const authConfig = ((await importConfigFile(convexDir, "auth.config"))?.default ?? {}) as AuthConfig;
  const httpModule = await registry.module("http");
  if (httpModule) patchRouterUrls(httpModule.default);
  const backend = new Backend({ convexDir, schema, modules, registry, print });
  const verifier = new TokenVerifier({ config: authConfig, siteUrl, localJwks: () => process.env.JWKS });
  const adminKey = `sandbox|${randomBytes(24).toString("hex")}`;

  const sessions = new Set<SyncSession>();
  const mutationLog = new MutationLog();
  backend.onWrite(() => {
    for (const session of sessions) session.requestSync();
  });

  const sockets = new WebSocketServer({ noServer: true });
  sockets.on("connection", (socket) => {
    // A malformed frame closes this socket; without a listener it would crash the process.
    socket.on("error", (error) => print(`sync socket error: ${error.message}`));
    const session = new SyncSession(socket, { backend, verifier, mutationLog, adminKey });
    sessions.add(session);
    socket.on("message", (data) => session.receive(data.toString()));
    socket.on("close", () => {
      session.close();
      sessions.delete(session);
    });
  });
  cloudServer.on("upgrade", (req, socket, head) => {
    if (!SYNC_PATH.test(new URL(req.url ?? "/", url).pathname)) return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit("connection", ws, req));
  });
  cloudServer.on(
    "request",
    guarded(async (req, res) => {
      if (await handleAdmin(req, res, backend)) return;
      if (await handleHttpApi(req, res, { backend, verifier, adminKey })) return;
      sendJson(res, 404, { code: "NotFound", message: `Nothing at ${req.url}` });
    }),
  );
  siteServer.on(
    "request",
    guarded((req, res) => handleSiteRequest(req, res, { backend, verifier, siteUrl, hasHttpRouter: httpModule !== null })),
  );

  const pings = setInterval(() => {
    for (const session of sessions) session.send({ type: "Ping" });
  }, options.pingIntervalMs ?? 15_000);
  pings.unref();

  const crons = new CronDriver(options.crons === false ? {} : cronJobsOf(await registry.module("crons")), async (identifier, job) => {
    const outcome = await backend.call({ kind: "any", udfPath: job.name, args: job.args, identity: null, allowInternal: true });
    if (!outcome.success) print(`cron "${identifier}" (${job.name}) failed: ${outcome.errorMessage}`);
  });
  crons.start();

  return {
    url,
    siteUrl,
    adminKey,
    env,
    reset: async () => backend.reset(),
    exportTables: () => backend.exportTables(),
    run: (name, args = {}) => backend.call({ kind: "any", udfPath: name, args, identity: null, allowInternal: true }),
    close: async () => {
      crons.stop();
      clearInterval(pings);
      for (const session of sessions) session.close();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      backend.close();
      await Promise.all([closeServer(cloudServer), closeServer(siteServer)]);
    },
  };
}
