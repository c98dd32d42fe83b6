/**
 * `npm run dev:offline`: Switchboard with no Convex account and no internet.
 *
 *   1. the provider simulator (every provider of the catalog, on 127.0.0.1),
 *   2. the offline Convex sandbox running the app's `convex/` functions, told to send
 *      provider traffic and mail (password reset codes) to the simulator, whose
 *      mailbox page shows that mail,
 *   3. `next dev` pointed at the sandbox, with the "simulated providers" UI on,
 *
 * side by side with prefixed output; Ctrl-C stops all three (each is its own process
 * group). Data lives in memory and is gone when it stops.
 *
 * Ports: PORT (3000), CONVEX_SANDBOX_PORT (3210), CONVEX_SANDBOX_SITE_PORT (3211),
 * PROVIDER_SIMULATOR_PORT (3400). They are fixed because each process must know the
 * others' URLs before it starts; a busy one stops the run before anything starts.
 */
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { SIM_APP_WEBHOOK_SECRETS } from "../tools/provider-simulator/app-webhooks";
import { MAIL_API_PREFIX, MAILBOX_PATH, SIM_MAIL_API_KEY } from "../tools/provider-simulator/mail";
import { binCommand } from "./convex-cli";
import { runTogether } from "./run-together";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const PORTS = {
  next: { variable: "PORT", fallback: 3000 },
  sandbox: { variable: "CONVEX_SANDBOX_PORT", fallback: 3210 },
  sandboxSite: { variable: "CONVEX_SANDBOX_SITE_PORT", fallback: 3211 },
  simulator: { variable: "PROVIDER_SIMULATOR_PORT", fallback: 3400 },
} as const;

type PortName = keyof typeof PORTS;

function portFromEnv(name: PortName): number {
  const { variable, fallback } = PORTS[name];
  const raw = process.env[variable];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  // 0 ("any free port") cannot work here: the URLs are handed out before the servers start.
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${variable} must be a port number from 1 to 65535, got "${raw}"`);
  }
  return port;
}

/** True when nothing listens on the port (on any interface, as next dev binds them all). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

async function main(): Promise<number> {
  const ports = Object.fromEntries(
    (Object.keys(PORTS) as PortName[]).map((name) => [name, portFromEnv(name)]),
  ) as Record<PortName, number>;
  const busy: string[] = [];
  for (const name of Object.keys(ports) as PortName[]) {
    if (!(await portIsFree(ports[name]))) busy.push(`${ports[name]} (${PORTS[name].variable})`);
  }
  if (busy.length > 0) {
    console.error(
      `» npm run dev:offline: port ${busy.join(", ")} is in use. Stop what uses it (another dev:offline or npm run dev?) or set the variable to another port.`,
    );
    return 1;
  }

  const siteUrl = `http://localhost:${ports.next}`;
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  const simulatorUrl = `http://127.0.0.1:${ports.simulator}`;
  const tsx = [process.execPath, "--import", "tsx"] as const;
  const next = binCommand(ROOT, "next", "dist/bin/next");

  console.log(`» Switchboard offline: ${siteUrl} (Convex sandbox ${sandboxUrl}, provider simulator ${simulatorUrl})`);
  console.log(`» Mail the app sends (password reset codes) shows up at ${simulatorUrl}${MAILBOX_PATH}`);
  console.log("» Data lives in memory and is gone when this stops. Ctrl-C stops everything.");
  return runTogether([
    {
      name: "simulator",
      command: tsx[0],
      args: [...tsx.slice(1), "tools/provider-simulator/main.ts"],
      cwd: ROOT,
      env: { PROVIDER_SIMULATOR_PORT: String(ports.simulator) },
      readyPattern: /provider simulator ready/,
    },
    {
      name: "convex",
      command: tsx[0],
      args: [...tsx.slice(1), "tools/convex-sandbox/main.mts"],
      cwd: ROOT,
      env: {
        CONVEX_SANDBOX_PORT: String(ports.sandbox),
        CONVEX_SANDBOX_SITE_PORT: String(ports.sandboxSite),
        // Deployment variables of the functions: OAuth redirect URIs and links point at
        // next dev; every provider endpoint is rewritten to the simulator.
        SITE_URL: siteUrl,
        SWITCHBOARD_PROVIDER_SIMULATOR_URL: simulatorUrl,
        // Password reset mail goes to the simulator's email API and lands in its mailbox.
        SWITCHBOARD_MAIL_API_URL: `${simulatorUrl}${MAIL_API_PREFIX}`,
        SWITCHBOARD_MAIL_API_KEY: SIM_MAIL_API_KEY,
        SWITCHBOARD_MAIL_FROM: "Switchboard <no-reply@switchboard.test>",
        // App-level inbound webhooks (Slack, Zoom, a GitHub App) are signed by the simulator with these.
        ...SIM_APP_WEBHOOK_SECRETS,
      },
      readyPattern: /convex sandbox ready/,
    },
    {
      name: "next",
      command: next.command,
      args: [...next.args, "dev", "--port", String(ports.next)],
      cwd: ROOT,
      env: {
        // Shell values win over .env.local in Next, so a real deployment's URL there is ignored.
        NEXT_PUBLIC_CONVEX_URL: sandboxUrl,
        NEXT_PUBLIC_SIMULATED_PROVIDERS: "1",
        PORT: String(ports.next),
      },
    },
  ]);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`» npm run dev:offline failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
