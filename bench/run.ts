/**
 * `npm run bench`: each measurement side by side in one run, printed as ratios.
 * Not part of the test suite. Numbers of a run are kept in bench/README.md.
 */
import os from "node:os";
import { startSimulator } from "../tools/provider-simulator/server";
import { backend, configureEnvironment } from "./backend";
import { benchAction } from "./actions";
import { benchDashboard } from "./dashboard";
import { benchExcerpt } from "./excerpt";
import { benchPublicApi } from "./public-api";
import { benchPipeline, connectGitHub, connectOAuthProvider, type PipelineRun } from "./pipeline";
import { fmt } from "./stats";
import { benchSweep } from "./sweep";
import { benchVault } from "./vault";
import { benchInboundPath, benchInboundSandbox, benchInboundWrites, type WriteCount } from "./inbound";
import { benchFanOut, benchFirstAttempt, benchSigning } from "./webhooks";
import { benchWorkflowWrites } from "./workflows";

const line = (label: string, value: string) => console.log(`  ${label.padEnd(52)} ${value}`);
const size = (bytes: number) => (bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} B`);
const ms = (value: number) => `${fmt(value)} ms`;

/** Answer sizes: a small JSON object, a page of records, a large page (GitHub's 100 issues is about this). */
const SIZES = [300, 64 * 1024, 215 * 1024];
const LATENCIES = [0, 50];

function printPipeline(run: PipelineRun) {
  const ratio = run.pipeline.medianMs / run.bare.medianMs;
  console.log(`\n  ${size(run.bytes)} answer, ${run.latencyMs} ms provider latency, ${run.pipeline.n} rounds`);
  line("pipeline (internal.calls.pipeline.call)", `median ${ms(run.pipeline.medianMs)}, p95 ${ms(run.pipeline.p95Ms)}`);
  line("bare fetch, same URL, headers and answer", `median ${ms(run.bare.medianMs)}, p95 ${ms(run.bare.p95Ms)}`);
  line("ratio pipeline / bare (median)", `${ratio.toFixed(2)}× (+${ms(run.pipeline.medianMs - run.bare.medianMs)})`);
  line("  database round trips (runQuery/runMutation)", `${run.roundTrips} per call, median ${ms(run.database.medianMs)}`);
  line("  convex-test running the action (harness)", `median ${ms(run.harnessMs)}`);
  line("  the pipeline's own work (the rest)", `median ${ms(run.ownMs)}`);
  return ratio;
}

/** The section's failures (a lost or duplicated event, a duplicate that wrote); the run exits 1 when there are any. */
const failures: string[] = [];

function fail(what: string) {
  failures.push(what);
  line("FAIL", what);
}

/** Section 10; its figures for the summary. It needs no simulator, so it can run alone: `npm run bench -- 10`. */
async function inboundSection() {
  console.log("\n10. Inbound webhooks: a Standard Webhooks delivery received, deduplicated and stored");
  const ratios: Record<string, number> = {};
  for (const bytes of [1024, 64 * 1024]) {
    const run = await benchInboundPath(bytes, 200);
    console.log(`\n  ${size(bytes)} body, ${run.bare.n} rounds`);
    line("bare check: HMAC-SHA256 verify, key imported once", `median ${ms(run.bare.medianMs)}, p95 ${ms(run.bare.p95Ms)}`);
    line("ours, no database: verify + read + hash + redact", `median ${ms(run.pure.medianMs)}, p95 ${ms(run.pure.p95Ms)}`);
    line("ours + the store mutation (convex-test)", `median ${ms(run.ours.medianMs)}, p95 ${ms(run.ours.p95Ms)}`);
    line("  convex-test's floor for any mutation (harness)", `median ${ms(run.floor.medianMs)}`);
    line("  ours less that floor", `median ${ms(run.oursOwnMs)}`);
    line("ratio ours, no database / bare (median)", `${(run.pure.medianMs / run.bare.medianMs).toFixed(2)}×`);
    ratios[size(bytes)] = run.oursOwnMs / run.bare.medianMs;
    line("ratio ours + store less the floor / bare (median)", `${ratios[size(bytes)]!.toFixed(2)}× (+${ms(run.oursOwnMs - run.bare.medianMs)})`);
    line("the whole receive HTTP action (t.fetch)", `median ${ms(run.whole.medianMs)}, p95 ${ms(run.whole.p95Ms)}`);
    line("  convex-test's floor for an HTTP action (a 404)", `median ${ms(run.fetchFloor.medianMs)}`);
    line("  the whole action less that floor", `median ${ms(run.wholeOwnMs)} (adds the endpoint query and the secret's decrypt)`);
  }

  const writes = await benchInboundWrites();
  const described = (count: WriteCount) =>
    count.writes.length === 0 ? "none" : `${count.writes.map((w) => `${w.kind} ${w.table}`).join(", ")} (${count.documents} document), ${count.scheduled} job scheduled`;
  console.log("");
  line("an accepted delivery: writes", `${described(writes.accepted)} (target: one insert and its processing)`);
  line("  its processing, after the answer", writes.processingWrites.map((w) => `${w.by.split(":")[1]}: ${w.kind} ${w.table}`).join(", ") || "none");
  line("the same delivery resent: writes", `${writes.duplicate.writes.length === 0 ? "none" : described(writes.duplicate)}, ${writes.duplicate.scheduled} jobs scheduled (target 0)`);
  if (writes.duplicate.writes.length > 0 || writes.duplicate.scheduled > 0) fail("a duplicate delivery wrote to the database");
  if (writes.accepted.documents !== 1 || writes.accepted.scheduled !== 1) fail("an accepted delivery did not write exactly one event and one job");
  if (writes.events !== 1) fail(`one delivery sent twice left ${writes.events} events`);

  const sandbox = await benchInboundSandbox({ senders: 20, total: 2_000, bytes: 1024 });
  console.log(`\n  Sandbox over HTTP: ${sandbox.senders} senders, ${sandbox.sent} deliveries of 1 KiB (${sandbox.distinct} distinct, ${sandbox.resent} resent right after)`);
  line("deliveries per second (all answered)", `${sandbox.perSecond.toFixed(0)}/s over ${ms(sandbox.wallMs)} (first quarter ${sandbox.firstQuarterPerSecond.toFixed(0)}/s, last ${sandbox.lastQuarterPerSecond.toFixed(0)}/s)`);
  line("answers", Object.entries(sandbox.answers).map(([status, n]) => `${n} × ${status}`).join(", "));
  line("lost (a distinct id without an event)", `${sandbox.lost} (target 0)`);
  line("duplicated (an id with more than one event)", `${sandbox.duplicated} (target 0)`);
  line("processed", `${sandbox.processed} of ${sandbox.distinct} (${ms(sandbox.pendingAfterMs)} after the last answer)`);
  if (sandbox.lost > 0) fail(`${sandbox.lost} deliveries lost in the sandbox`);
  if (sandbox.duplicated > 0) fail(`${sandbox.duplicated} deliveries stored twice in the sandbox`);
  if ((sandbox.answers["200"] ?? 0) !== sandbox.sent) fail("not every delivery was answered 200");
  return { ratios, perSecond: sandbox.perSecond, duplicateWrites: writes.duplicate.writes.length, lost: sandbox.lost, duplicated: sandbox.duplicated };
}

/** Sections that need nothing the others set up, by number: `npm run bench -- 10`. */
const ALONE: Record<string, () => Promise<unknown>> = { "10": inboundSection };

async function main() {
  const chosen = process.argv.slice(2);
  if (chosen.length > 0) {
    const unknown = chosen.filter((n) => !Object.hasOwn(ALONE, n));
    if (unknown.length > 0) throw new Error(`Sections that run alone: ${Object.keys(ALONE).join(", ")} (not ${unknown.join(", ")}).`);
    configureEnvironment(undefined);
    for (const n of chosen) await ALONE[n]!();
    return;
  }
  const simulator = await startSimulator({ port: 0, autoApprove: true });
  configureEnvironment(simulator.url);
  try {
    console.log(`Switchboard benchmarks — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}\n`);

    const vault = await benchVault();
    console.log(`1. Vault: encrypt + decrypt of a token bundle (access + refresh token), ${vault.vault.n} rounds`);
    line("vault (encryptSecrets + decryptSecrets)", `median ${ms(vault.vault.medianMs)}, p95 ${ms(vault.vault.p95Ms)}`);
    line("raw Web Crypto AES-256-GCM, same key and AAD", `median ${ms(vault.raw.medianMs)}, p95 ${ms(vault.raw.p95Ms)}`);
    const vaultRatio = vault.vault.medianMs / vault.raw.medianMs;
    line("ratio vault / raw (median)", `${vaultRatio.toFixed(2)}×`);

    console.log("\n2. Pipeline overhead: GET through the call pipeline vs bare fetch, simulator on 127.0.0.1");
    const t = backend();
    const { orgId, admin } = await connectGitHub(t, simulator);
    const pipelineRatios: Record<string, number> = {};
    let ownAt64KiB = Number.NaN;
    for (const latencyMs of LATENCIES) {
      for (const bytes of SIZES) {
        const run = await benchPipeline(t, simulator, orgId, { bytes, latencyMs, rounds: latencyMs === 0 ? 200 : 40 });
        pipelineRatios[`${size(bytes)}, ${latencyMs} ms`] = printPipeline(run);
        if (latencyMs === 0 && bytes === 64 * 1024) ownAt64KiB = run.ownMs;
      }
    }

    console.log("\n3. Call log excerpt of an answer: bounded walk vs whole-document redaction, 2 KB kept");
    const excerptRatios: Record<string, number> = {};
    for (const bytes of SIZES) {
      const excerpt = await benchExcerpt(bytes, 300);
      line(`${size(bytes)}: bounded walk (responseExcerpt)`, `median ${ms(excerpt.bounded.medianMs)}, p95 ${ms(excerpt.bounded.p95Ms)}`);
      line(`${size(bytes)}: whole document (contrast)`, `median ${ms(excerpt.whole.medianMs)}, p95 ${ms(excerpt.whole.p95Ms)}`);
      excerptRatios[size(bytes)] = excerpt.bounded.medianMs / excerpt.whole.medianMs;
    }

    const dashboard = await benchDashboard(t, admin, orgId);
    console.log(`\n4. Dashboard: writes that would re-run integrations/connections:list, ${dashboard.calls} calls on one connection`);
    line("by the calls (log row and counters)", `${dashboard.byCalls}`);
    line("by the counters' summary (end of the minute)", `${dashboard.bySummaries} (${dashboard.summaryJobs} summary jobs pending; ${dashboard.minutesCrossed} minute boundaries in the run)`);
    line("all writes by the calls and summaries", `${dashboard.writes}`);

    const sweep = await benchSweep();
    console.log("\n5. Refresh sweep: 1,000 vs 20,000 connections, the same 50 overdue");
    for (const [label, result] of [["1,000", sweep.small], ["20,000", sweep.large]] as const) {
      line(`${label} connections, indexed sweep`, `${result.indexed.documentsRead} docs read, ${result.indexed.databaseQueries} queries, ${result.indexed.scheduled} restarted, ${ms(result.indexed.wallMs)}`);
      line(`${label} connections, full-scan sweep (contrast)`, `${result.fullScan.documentsRead} docs read, ${ms(result.fullScan.wallMs)}`);
    }
    const sweepRatio = sweep.large.indexed.documentsRead / sweep.small.indexed.documentsRead;
    const scanRatio = sweep.large.fullScan.documentsRead / sweep.small.fullScan.documentsRead;
    line("ratio 20,000 / 1,000 (documents read)", `${sweepRatio.toFixed(2)}× (a full scan: ${scanRatio.toFixed(2)}×)`);
    line("ratio 20,000 / 1,000 (wall time, convex-test)", `${(sweep.large.indexed.wallMs / sweep.small.indexed.wallMs).toFixed(2)}×`);

    console.log("\n6. An action run (slack.post_message through runAction) vs the bare pipeline call it makes, both run directly");
    const slack = await connectOAuthProvider(t, simulator, "slack");
    const actionRatios: Record<string, number> = {};
    for (const textBytes of [300, 32 * 1024]) {
      const run = await benchAction(t, slack.orgId, { textBytes, rounds: 200 });
      console.log(`\n  ${size(textBytes)} message, ${run.action.n} rounds`);
      line("action (runAction)", `median ${ms(run.action.medianMs)}, p95 ${ms(run.action.p95Ms)}, ${run.actionTrips} round trips`);
      line("the same request through runCall", `median ${ms(run.call.medianMs)}, p95 ${ms(run.call.p95Ms)}, ${run.callTrips} round trips`);
      actionRatios[size(textBytes)] = run.action.medianMs / run.call.medianMs;
      line("ratio action / call (median)", `${actionRatios[size(textBytes)]!.toFixed(2)}× (target ≤ 1.10×)`);
    }

    console.log("\n7. Database writes per workflow step: a three-step Slack workflow run to the end");
    const slackForWorkflow = await connectOAuthProvider(t, simulator, "slack", ["reactions:write"], "workflow");
    const workflow = await benchWorkflowWrites(t, slackForWorkflow.admin, slackForWorkflow.orgId);
    line("step state (the run document) per step", `${workflow.stepStateWritesPerStep} (target 1)`);
    line("the step's call: log row and counter shard, per step", `${workflow.callLogWritesPerStep}`);
    line("the workflow's newest-run summary (at the run's end)", `${workflow.workflowSummaryWrites}`);
    line("starting the run (run, its job, the summary, the audit event)", `${workflow.startWrites}`);
    line("anything else", workflow.otherWrites.length === 0 ? "none" : workflow.otherWrites.join(", "));

    console.log("\n8. Outbound webhooks");
    const signing = await benchSigning(2_000);
    line("Standard Webhooks signature (signatureHeader)", `median ${ms(signing.signing.medianMs)}, p95 ${ms(signing.signing.p95Ms)}`);
    line("bare HMAC-SHA256 of the same bytes, key imported once", `median ${ms(signing.bare.medianMs)}, p95 ${ms(signing.bare.p95Ms)}`);
    const signingRatio = signing.signing.medianMs / signing.bare.medianMs;
    line("ratio signing / bare HMAC (median)", `${signingRatio.toFixed(2)}×`);
    const fanOut = await benchFanOut();
    for (const [label, run] of [["1 endpoint", fanOut.one], ["100 endpoints", fanOut.hundred]] as const) {
      line(`fan-out of action.failed, ${label}, 1 subscribed`, `${run.documentsRead} docs read, ${run.databaseQueries} index reads, ${run.messages} message`);
    }
    const firstAttempt = await benchFirstAttempt(t, 50);
    line("event emitted → first attempt at the receiver", `median ${ms(firstAttempt.medianMs)}, p95 ${ms(firstAttempt.p95Ms)} (${firstAttempt.n} events)`);
    console.log("\n9. Public API: what a key costs GET /v1/connections (authentication, rate limit, usage log)");
    const keyed = await benchPublicApi(t, admin, orgId, 200);
    const writesText = (writes: Record<string, number>) => Object.entries(writes).map(([what, n]) => `${n} ${what}`).join(", ") || "none";
    line("authentication + rate limit: documents read", `${keyed.authReads.documents} (index reads of ${keyed.authReads.tables.join(", ")}; target: the key by hash + its rate-limit row)`);
    line("authentication + rate limit: writes", `${writesText(keyed.authWrites)} (target 1, the rate-limit row)`);
    line("usage log: writes", writesText(keyed.usageWrites));
    line("anything else written", keyed.otherWrites.length === 0 ? "none" : keyed.otherWrites.join(", "));
    line("the whole request with a key", `median ${ms(keyed.request.medianMs)}, p95 ${ms(keyed.request.p95Ms)}`);
    line("  authentication + rate limit (its mutation)", `median ${ms(keyed.auth.medianMs)}`);
    line("  usage log (its mutation)", `median ${ms(keyed.usage.medianMs)}`);
    const unauthenticatedMs = keyed.request.medianMs - keyed.auth.medianMs - keyed.usage.medianMs;
    const keyRatio = keyed.request.medianMs / unauthenticatedMs;
    line("ratio with a key / the same route without (median)", `${keyRatio.toFixed(2)}× (+${ms(keyed.auth.medianMs + keyed.usage.medianMs)})`);

    const inbound = await inboundSection();

    console.log("\nRatios and counts");
    line("vault / raw AES-GCM (same AAD)", `${vaultRatio.toFixed(2)}×`);
    for (const [label, ratio] of Object.entries(pipelineRatios)) line(`pipeline / bare fetch, ${label}`, `${ratio.toFixed(2)}×`);
    line("pipeline's own work at 64 KiB, no latency", ms(ownAt64KiB));
    for (const [label, ratio] of Object.entries(excerptRatios)) line(`excerpt, bounded / whole document, ${label}`, `${ratio.toFixed(3)}×`);
    line("connections:list re-runs per 100 calls", `${dashboard.byCalls} (+${dashboard.bySummaries} per minute of calls, the summary)`);
    line("sweep at 20,000 / at 1,000 connections", `${sweepRatio.toFixed(2)}×`);
    for (const [label, ratio] of Object.entries(actionRatios)) line(`action / its bare call, ${label} message`, `${ratio.toFixed(2)}×`);
    line("workflow step-state writes per step", `${workflow.stepStateWritesPerStep}`);
    line("webhook signing / bare HMAC", `${signingRatio.toFixed(2)}×`);
    line("fan-out docs read, 100 / 1 endpoints (target 1.00×)", `${(fanOut.hundred.documentsRead / fanOut.one.documentsRead).toFixed(2)}×`);
    line("public API request with a key / without", `${keyRatio.toFixed(2)}×`);
    for (const [label, ratio] of Object.entries(inbound.ratios)) line(`inbound delivery, ours + store / bare HMAC, ${label}`, `${ratio.toFixed(2)}×`);
    line("inbound duplicate delivery: writes (target 0)", `${inbound.duplicateWrites}`);
    line("inbound deliveries/s in the sandbox, lost, duplicated", `${inbound.perSecond.toFixed(0)}/s, ${inbound.lost}, ${inbound.duplicated}`);
  } finally {
    await simulator.close();
  }
}

main().then(
  // convex-test keeps timers for scheduled jobs (refresh plans hours out); they are not work left to do.
  () => {
    if (failures.length > 0) console.error(`\nFailed: ${failures.join("; ")}`);
    process.exit(failures.length > 0 ? 1 : 0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
