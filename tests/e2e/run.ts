/**
 * `npm run test:e2e`: the browser tests.
 *
 *   1. `next build` into .next-e2e with the sandbox URL and simulated providers baked in
 *      (`E2E_SKIP_BUILD=1` reuses the last build when there is one);
 *   2. the provider simulator, the Convex sandbox (pointed at the simulator) and
 *      `next start`, each in its own process group, on free ports;
 *   3. Debian's Chromium through playwright-core; every test starts from a reset
 *      sandbox and simulator, in fresh browser contexts.
 *
 * `npm run test:e2e -- github` runs the tests whose name contains "github".
 * Screenshots of every step: artifacts/e2e/<test>/; server logs: artifacts/e2e/logs/.
 * The last line is `N passed, M failed`; the exit code is non-zero when a test failed.
 * `E2E_UPDATE_SCREENSHOTS=1` also rewrites docs/screenshots/integrations.png.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { connectSimulator } from "../../tools/provider-simulator/control-client";
import { SIM_APP_WEBHOOK_SECRETS } from "../../tools/provider-simulator/app-webhooks";
import { MAIL_API_PREFIX, SIM_MAIL_API_KEY } from "../../tools/provider-simulator/mail";
import { ensureBuild, nextBin, nextEnv } from "./build";
import { tryAction, workflowRun } from "./actions.flows";
import { apiKeyLifecycle } from "./api-keys.flows";
import { StepError, TestContext, TEST_TIMEOUT_MS, messageOf, type E2ETest, type Services } from "./harness";
import {
  disconnectAndActivity,
  githubPopup,
  popupBlocked,
  refreshInCallList,
  testRequestDialog,
  wordpressCredentials,
} from "./integrations.flows";
import { manyMembers, membersAndRoles, phoneWidth, signOutFromTwoPages, signUpAndCreateOrg } from "./members.flows";
import { orgDelete, orgRenameAndAddress } from "./org-settings.flows";
import { passwordResetThroughMailbox, weakPasswordRefused } from "./password.flows";
import { freePort, portIsFree, startServer, type RunningServer } from "./processes";
import { inboundEvents } from "./inbound.flows";
import { webhookEndpoint } from "./webhooks.flows";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(ROOT, "artifacts", "e2e");
const LOGS = join(ARTIFACTS, "logs");
const CHROMIUM = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

const ALL_TESTS: E2ETest[] = [
  signUpAndCreateOrg,
  membersAndRoles,
  manyMembers,
  signOutFromTwoPages,
  phoneWidth,
  githubPopup,
  wordpressCredentials,
  disconnectAndActivity,
  popupBlocked,
  testRequestDialog,
  refreshInCallList,
  tryAction,
  workflowRun,
  orgRenameAndAddress,
  orgDelete,
  weakPasswordRefused,
  passwordResetThroughMailbox,
  webhookEndpoint,
  apiKeyLifecycle,
  inboundEvents,
];

type Result = { test: E2ETest; ok: boolean; ms: number; notes: string[] };

const servers: RunningServer[] = [];
const results: Result[] = [];
let browser: Browser | null = null;
let cleaning: Promise<void> | null = null;
/** Set on Ctrl-C: tests still running fail because their browser is gone; that is not news. */
let interrupted = false;

/** Stops the browser and every server group; safe to call more than once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    await Promise.all(servers.map((server) => server.stop()));
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n» ${signal}: stopping the browser and the servers`);
    void cleanup().finally(() => {
      console.log(`\n${summary(results.filter((r) => r.ok).length, results.filter((r) => !r.ok).length)} (interrupted)`);
      // Exit handlers SIGKILL whatever group is still there (a next build in progress).
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  });
}

function summary(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}

const log = (line: string) => console.log(`» ${line}`);

/** Builds if needed and starts the simulator, the sandbox and `next start`. */
async function startServices(): Promise<Omit<Services, "browser">> {
  const build = await ensureBuild(ROOT, { skip: process.env.E2E_SKIP_BUILD === "1", logFile: join(LOGS, "next-build.log") });
  log(build.built ? `next build took ${((build.durationMs ?? 0) / 1000).toFixed(1)} s` : `reusing the build in .next-e2e (E2E_SKIP_BUILD=1)`);
  if (!(await portIsFree(build.convexPort))) {
    throw new Error(`port ${build.convexPort}, which the build expects the sandbox on, is in use; run without E2E_SKIP_BUILD to rebuild`);
  }
  const tsx = [process.execPath, "--import", "tsx"] as const;
  const nextPort = await freePort();
  const baseUrl = `http://localhost:${nextPort}`;

  const simulator = await startServer({
    name: "simulator",
    command: tsx[0],
    args: [...tsx.slice(1), "tools/provider-simulator/main.ts"],
    cwd: ROOT,
    env: { ...process.env, PROVIDER_SIMULATOR_PORT: "0" },
    readyPattern: /provider simulator ready (\S+)/,
    logFile: join(LOGS, "simulator.log"),
  });
  servers.push(simulator);
  const simulatorUrl = simulator.ready[1]!;

  const sandbox = await startServer({
    name: "sandbox",
    command: tsx[0],
    args: [...tsx.slice(1), "tools/convex-sandbox/main.mts"],
    cwd: ROOT,
    env: {
      ...withoutOAuthClients(process.env),
      CONVEX_SANDBOX_PORT: String(build.convexPort),
      CONVEX_SANDBOX_SITE_PORT: "0",
      // A developer's .env.local must not change what the tests run against.
      CONVEX_SANDBOX_ENV_FILE: "/dev/null",
      SITE_URL: baseUrl,
      SWITCHBOARD_PROVIDER_SIMULATOR_URL: simulatorUrl,
      SWITCHBOARD_MAIL_API_URL: `${simulatorUrl}${MAIL_API_PREFIX}`,
      SWITCHBOARD_MAIL_API_KEY: SIM_MAIL_API_KEY,
      SWITCHBOARD_MAIL_FROM: "Switchboard <no-reply@switchboard.test>",
      // App-level inbound webhooks (Slack, Zoom, a GitHub App) are signed by the simulator with these.
      ...SIM_APP_WEBHOOK_SECRETS,
    },
    readyPattern: /convex sandbox ready (\S+) (\S+)/,
    logFile: join(LOGS, "sandbox.log"),
  });
  servers.push(sandbox);

  const next = await startServer({
    name: "next",
    command: process.execPath,
    args: [nextBin(ROOT), "start", "--port", String(nextPort), "--hostname", "127.0.0.1"],
    cwd: ROOT,
    env: nextEnv(build.convexUrl),
    readyPattern: /Ready in/,
    logFile: join(LOGS, "next.log"),
  });
  servers.push(next);
  log(`app ${baseUrl}, sandbox ${build.convexUrl}, simulator ${simulatorUrl}`);
  return { baseUrl, sandboxUrl: build.convexUrl, siteUrl: sandbox.ready[2]!, simulatorUrl, simulator: connectSimulator(simulatorUrl) };
}

/** The simulator's well-known test clients only: a developer's real client ids would be refused by it. */
function withoutOAuthClients(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/_CLIENT_(ID|SECRET)$/.test(name))) as NodeJS.ProcessEnv;
}

/** Every test starts from an empty database and a simulator at its defaults. */
async function resetWorld(services: Services): Promise<void> {
  const response = await fetch(`${services.sandboxUrl}/_sandbox/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`sandbox reset answered ${response.status}`);
  await services.simulator.reset();
  await services.simulator.setAutoApprove(false);
}

async function runTest(test: E2ETest, services: Services): Promise<Result> {
  const started = Date.now();
  const t = new TestContext(services, test.name, ARTIFACTS);
  let timer: NodeJS.Timeout | undefined;
  try {
    await resetWorld(services);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the test took longer than ${TEST_TIMEOUT_MS / 1000} s`)), TEST_TIMEOUT_MS);
    });
    await Promise.race([test.run(t), timeout]);
    const ms = Date.now() - started;
    console.log(`✓ ${test.name} (${(ms / 1000).toFixed(1)} s)`);
    t.notes.push(`axe-core: ${t.accessibility.analysed} page states clean in light and dark (${(t.accessibility.ms / 1000).toFixed(1)} s)`);
    for (const note of t.notes) console.log(`    ${note}`);
    return { test, ok: true, ms, notes: t.notes };
  } catch (error) {
    const ms = Date.now() - started;
    if (interrupted) return { test, ok: false, ms, notes: t.notes };
    const where =
      error instanceof StepError
        ? `failed at ${error.message}`
        : `failed ${t.lastStep.name ? `after step ${String(t.lastStep.number).padStart(2, "0")} "${t.lastStep.name}"` : "before its first step"}: ${messageOf(error)}`;
    console.log(`✗ ${test.name} (${(ms / 1000).toFixed(1)} s)`);
    console.log(indent(where));
    console.log(`    screenshots: ${t.dir}/ (browser console: console.log there; server logs: ${LOGS}/)`);
    return { test, ok: false, ms, notes: t.notes };
  } finally {
    clearTimeout(timer);
    await t.close();
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

async function main(filters: readonly string[]): Promise<number> {
  const tests = filters.length === 0 ? ALL_TESTS : ALL_TESTS.filter((test) => filters.some((f) => test.name.includes(f)));
  if (tests.length === 0) {
    console.error(`No test name contains ${filters.map((f) => `"${f}"`).join(" or ")}.`);
    console.log(summary(0, 0));
    return 1;
  }
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });

  try {
    const services = await startServices();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      // Ours stop the servers too, then exit; Playwright's would exit first.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    for (const test of tests) {
      const result = await runTest(test, { ...services, browser });
      if (interrupted) break;
      results.push(result);
    }
  } catch (error) {
    // The setup failed: nothing could run.
    console.error(`✗ setup failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await cleanup();
  }
  // The signal handler prints the summary and exits.
  if (interrupted) return 130;
  const passed = results.filter((r) => r.ok).length;
  const failed = tests.length - passed;
  console.log(`\n${summary(passed, failed)}`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
