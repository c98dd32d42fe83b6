/**
 * The floors `npm run test:mutation` enforces, read from Stryker's JSON report (the
 * mutation-testing-report-schema format). Stryker's own `thresholds.break` judges only
 * the whole run; a weak security module could hide behind strong others, so each of
 * those has its own floor here, and every module under its floor is named with its score.
 */

/** The modules an attacker aims at: SSRF rules and address ranges, redirects, the URL guard, secrets, redaction, OAuth, Basic auth, webhook signatures and filters. */
export const SECURITY_MODULES = [
  "lib/ssrf.ts",
  "lib/safe-redirect.ts",
  "lib/http/url-guard.ts",
  "lib/vault/vault.ts",
  "lib/vault/keyring.ts",
  "lib/redact.ts",
  "lib/oauth/client.ts",
  "lib/http/basic.ts",
  "lib/http/credential.ts",
  "lib/inbound/schemes.ts",
  "lib/inbound/hmac.ts",
  "lib/inbound/providers.ts",
  "lib/inbound/store.ts",
  "lib/passwords.ts",
  "lib/mail/password-reset.ts",
  "lib/ip-address.ts",
  "lib/webhooks/signing.ts",
  "lib/webhooks/filter.ts",
  "lib/api-keys/format.ts",
  "lib/api-keys/scopes.ts",
  "lib/public-api/routes.ts",
] as const;

export type Floors = {
  /** Least score of every mutated module taken together, in percent. */
  overall: number;
  /** Least score of each named module, in percent. */
  modules: Readonly<Record<string, number>>;
};

export const FLOORS: Floors = {
  overall: 85,
  modules: Object.fromEntries(SECURITY_MODULES.map((path) => [path, 90])),
};

/** The parts of a mutation-testing-report-schema report this check reads. */
export type MutationReport = {
  files: Record<string, { mutants: ReadonlyArray<{ status: string }> }>;
};

export type Score = {
  /** Killed and timed-out mutants: a test noticed. */
  detected: number;
  survived: number;
  noCoverage: number;
  /** Mutants that count: detected, survived and not covered (compile errors and ignored ones do not). */
  valid: number;
  /** detected / valid in percent; 100 when nothing counts. */
  percent: number;
};

/** A module's (or the run's) score, counted the way Stryker's "% Mutation score, total" column does. */
export function scoreOf(mutants: ReadonlyArray<{ status: string }>): Score {
  let detected = 0;
  let survived = 0;
  let noCoverage = 0;
  for (const { status } of mutants) {
    if (status === "Killed" || status === "Timeout") detected++;
    else if (status === "Survived") survived++;
    else if (status === "NoCoverage") noCoverage++;
  }
  const valid = detected + survived + noCoverage;
  return { detected, survived, noCoverage, valid, percent: valid === 0 ? 100 : (detected / valid) * 100 };
}

export type ThresholdResult = {
  /** One line per floor, met or not. */
  lines: string[];
  /** The lines of the floors that were not met; empty when the run passes. */
  failures: string[];
};

/** Checks `report` against `floors`. A module with a floor that is missing from the report fails too. */
export function checkThresholds(report: MutationReport, floors: Floors = FLOORS): ThresholdResult {
  const lines: string[] = [];
  const failures: string[] = [];
  const judge = (name: string, score: Score, floor: number) => {
    const met = score.percent >= floor;
    const line = `${met ? "ok  " : "FAIL"} ${name}: ${format(score)} (floor ${floor}%)`;
    lines.push(line);
    if (!met) failures.push(line);
  };

  for (const [path, floor] of Object.entries(floors.modules)) {
    const file = report.files[path];
    if (!file) {
      const line = `FAIL ${path}: not in the report (renamed or no longer mutated?), floor ${floor}%`;
      lines.push(line);
      failures.push(line);
      continue;
    }
    judge(path, scoreOf(file.mutants), floor);
  }
  judge("all mutated modules", scoreOf(Object.values(report.files).flatMap((file) => file.mutants)), floors.overall);
  return { lines, failures };
}

function format(score: Score): string {
  const missed = [score.survived && `${score.survived} survived`, score.noCoverage && `${score.noCoverage} not covered`].filter(Boolean);
  // Truncated, not rounded: 89.996% must not read as 90.00%.
  return `${(Math.floor(score.percent * 100) / 100).toFixed(2)}% of ${score.valid} mutants detected${missed.length ? `, ${missed.join(", ")}` : ""}`;
}
