/**
 * Just enough of a Convex deployment for the real `convex env list/get/set` commands:
 * the sync WebSocket answering `_system/cli/queryEnvironmentVariables` and
 * `POST /api/update_environment_variables`. The CLI reaches it through
 * `CONVEX_SELF_HOSTED_URL` + `CONVEX_SELF_HOSTED_ADMIN_KEY`, so tests exercise the
 * CLI's real output format and .env parsing, with no backend and no network.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export const FAKE_ADMIN_KEY = "fake-admin-key";

export type FakeConvexDeployment = {
  url: string;
  /** The deployment's environment variables; tests may read and seed it. */
  vars: Map<string, string>;
  /** Every `update_environment_variables` request body's changes, in order. */
  updates: Array<Array<{ name: string; value: string | null }>>;
  /** Environment for a CLI process that should talk to this deployment. */
  cliEnv(): NodeJS.ProcessEnv;
  close(): Promise<void>;
};

/** Timestamps in the sync protocol: base64 of a little-endian u64. */
function u64(n: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(n));
  return bytes.toString("base64");
}

type Version = { querySet: number; identity: number; ts: number };
type ClientMessage =
  | { type: "Connect" | "Event" | "Mutation" | "Action" }
  | { type: "Authenticate"; baseVersion: number }
  | {
      type: "ModifyQuerySet";
      newVersion: number;
      modifications: Array<{ type: "Add"; queryId: number; udfPath: string; args: unknown[] } | { type: "Remove"; queryId: number }>;
    };

export async function startFakeConvexDeployment(initial: Record<string, string> = {}): Promise<FakeConvexDeployment> {
  const vars = new Map(Object.entries(initial));
  const updates: FakeConvexDeployment["updates"] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/api/update_environment_variables") {
        if (req.headers.authorization !== `Convex ${FAKE_ADMIN_KEY}`) {
          res.writeHead(401).end();
          return;
        }
        const { changes } = JSON.parse(body) as { changes: Array<{ name: string; value: string | null }> };
        updates.push(changes);
        for (const { name, value } of changes) {
          if (value === null) vars.delete(name);
          else vars.set(name, value);
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
        return;
      }
      res.writeHead(404).end();
    });
  });

  const sockets = new WebSocketServer({ server });
  sockets.on("connection", (socket: WebSocket) => {
    const version: Version = { querySet: 0, identity: 0, ts: 0 };
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as ClientMessage;
      if (message.type !== "ModifyQuerySet" && message.type !== "Authenticate") return;
      const startVersion = { ...version, ts: u64(version.ts) };
      const modifications: unknown[] = [];
      if (message.type === "Authenticate") {
        version.identity = message.baseVersion + 1;
      } else {
        version.querySet = message.newVersion;
        for (const change of message.modifications) {
          if (change.type !== "Add") continue;
          modifications.push({ type: "QueryUpdated", queryId: change.queryId, value: answer(change.udfPath, change.args), logLines: [], journal: null });
        }
      }
      version.ts += 1;
      socket.send(JSON.stringify({ type: "Transition", startVersion, endVersion: { ...version, ts: u64(version.ts) }, modifications }));
    });
  });

  function answer(udfPath: string, args: unknown[]): unknown {
    if (udfPath === "_system/cli/queryEnvironmentVariables:get") {
      const { name } = args[0] as { name: string };
      const value = vars.get(name);
      return value === undefined ? null : { name, value };
    }
    return [...vars].map(([name, value]) => ({ name, value }));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    vars,
    updates,
    cliEnv() {
      const env: NodeJS.ProcessEnv = { ...process.env, CONVEX_SELF_HOSTED_URL: url, CONVEX_SELF_HOSTED_ADMIN_KEY: FAKE_ADMIN_KEY };
      // A developer's own deployment settings must not leak into the test.
      for (const name of ["CONVEX_DEPLOYMENT", "CONVEX_DEPLOY_KEY", "CONVEX_URL"]) delete env[name];
      return env;
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
