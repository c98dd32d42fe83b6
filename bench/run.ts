/**
 * `npm run bench`: three measurements, each side by side in one run, printed as ratios.
 * Not part of the test suite. Numbers of a run are kept in bench/README.md.
 */
import os from "node:os";
import { startSimulator } from "../tools/provider-simulator/server";
import { backend, configureEnvironment } from "./backend";
import { benchPipeline } from "./pipeline";
import { fmt } from "./stats";
import { benchSweep } from "./sweep";
import { benchVault } from "./vault";

const line = (label: string, value: string) => console.log(`  ${label.padEnd(50)} ${value}`);

async function main() {
  const simulator = await startSimulator({ port: 0, autoApprove: true });
  configureEnvironment(simulator.url);
  try {
    console.log(`Switchboard benchmarks — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}\n`);

    const vault = await benchVault();
    console.log(`1. Vault: encrypt + decrypt of a token bundle (access + refresh token), ${vault.vault.n} rounds`);
    line("vault (encryptSecrets + decryptSecrets)", `median ${fmt(vault.vault.medianMs)} ms, p95 ${fmt(vault.vault.p95Ms)} ms`);
    line("raw Web Crypto AES-256-GCM, same key", `median ${fmt(vault.raw.medianMs)} ms, p95 ${fmt(vault.raw.p95Ms)} ms`);
    const vaultRatio = vault.vault.medianMs / vault.raw.medianMs;
    line("ratio vault / raw (median)", `${vaultRatio.toFixed(2)}×`);

    const pipeline = await benchPipeline(backend(), simulator);
    console.log(`\n2. Pipeline overhead: GET through the call pipeline vs bare fetch, simulator on 127.0.0.1, ${pipeline.pipeline.n} rounds`);
    line("pipeline (internal.calls.pipeline.call)", `median ${fmt(pipeline.pipeline.medianMs)} ms, p95 ${fmt(pipeline.pipeline.p95Ms)} ms`);
    line("bare fetch, same URL and headers", `median ${fmt(pipeline.bare.medianMs)} ms, p95 ${fmt(pipeline.bare.p95Ms)} ms`);
    const pipelineRatio = pipeline.pipeline.medianMs / pipeline.bare.medianMs;
    line("ratio pipeline / bare (median)", `${pipelineRatio.toFixed(2)}× (+${fmt(pipeline.pipeline.medianMs - pipeline.bare.medianMs)} ms)`);

    const sweep = await benchSweep();
    console.log("\n3. Refresh sweep: 1,000 vs 20,000 connections, the same 50 overdue");
    for (const [label, result] of [["1,000", sweep.small], ["20,000", sweep.large]] as const) {
      line(`${label} connections, indexed sweep`, `${result.indexed.documentsRead} docs read, ${result.indexed.databaseQueries} queries, ${result.indexed.scheduled} restarted, ${fmt(result.indexed.wallMs)} ms`);
      line(`${label} connections, full-scan sweep (contrast)`, `${result.fullScan.documentsRead} docs read, ${fmt(result.fullScan.wallMs)} ms`);
    }
    const sweepRatio = sweep.large.indexed.documentsRead / sweep.small.indexed.documentsRead;
    const scanRatio = sweep.large.fullScan.documentsRead / sweep.small.fullScan.documentsRead;
    line("ratio 20,000 / 1,000 (documents read)", `${sweepRatio.toFixed(2)}× (a full scan: ${scanRatio.toFixed(2)}×)`);
    line("ratio 20,000 / 1,000 (wall time, convex-test)", `${(sweep.large.indexed.wallMs / sweep.small.indexed.wallMs).toFixed(2)}×`);

    console.log("\nRatios");
    line("vault / raw AES-GCM", `${vaultRatio.toFixed(2)}×`);
    line("pipeline / bare fetch", `${pipelineRatio.toFixed(2)}×`);
    line("sweep at 20,000 / at 1,000 connections", `${sweepRatio.toFixed(2)}×`);
  } finally {
    await simulator.close();
  }
}

main().then(
  // convex-test keeps timers for scheduled jobs (refresh plans hours out); they are not work left to do.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
