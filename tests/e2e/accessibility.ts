/**
 * axe-core on every app page and dialog the browser suite visits: after each step, each
 * open page of the app is analysed as it is (its own viewport, 390 px in the phone
 * flows) against WCAG 2.2 A/AA in the light colour scheme and for contrast in the dark
 * one, and a serious or critical violation fails the step, naming the rule and the
 * elements.
 *
 * A page state already analysed (same URL and same DOM) is not analysed again: most steps
 * change one thing, and the suite visits the same pages many times. `E2E_AXE=0` skips the
 * analysis (for a quick local run; CI always runs it).
 */
import { AxeBuilder } from "@axe-core/playwright";
import { createHash } from "node:crypto";
import type { Page } from "playwright-core";

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const FAILING_IMPACTS = new Set(["serious", "critical"]);
const SCHEMES = ["light", "dark"] as const;

export type AxeViolation = { scheme: (typeof SCHEMES)[number]; rule: string; impact: string; help: string; targets: string[] };

/** Remembers what was analysed, for one test run. */
export class AccessibilityChecker {
  private readonly seen = new Set<string>();
  /** How many page states were analysed, and how long that took (printed with the result). */
  analysed = 0;
  ms = 0;

  /** Violations on `page` now, in both schemes; [] for a state already analysed or a page not of the app. */
  async check(page: Page, appOrigin: string): Promise<AxeViolation[]> {
    if (process.env.E2E_AXE === "0") return [];
    if (page.isClosed() || !page.url().startsWith(appOrigin)) return [];
    const started = Date.now();
    const state = await page
      .evaluate(() => `${location.href}\n${innerWidth}\n${document.documentElement.outerHTML}`)
      .catch(() => null);
    if (state === null) return [];
    const key = createHash("sha256").update(state).digest("hex");
    if (this.seen.has(key)) return [];
    this.seen.add(key);
    const violations: AxeViolation[] = [];
    // Colour transitions would be measured half-way after the scheme switches: none while analysing.
    const still = await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; animation: none !important; }" });
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      // The colour tokens switch with a media query; let styles settle before measuring contrast.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      // Only colours differ between the schemes: the dark pass checks contrast alone.
      const builder = new AxeBuilder({ page });
      const results = await (scheme === "light" ? builder.withTags(WCAG_TAGS) : builder.withRules(["color-contrast"])).analyze();
      for (const v of results.violations) {
        if (!v.impact || !FAILING_IMPACTS.has(v.impact)) continue;
        violations.push({ scheme, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) });
      }
    }
    await page.emulateMedia({ colorScheme: null });
    await still.evaluate((element) => (element as Element).remove());
    this.analysed += 1;
    this.ms += Date.now() - started;
    return violations;
  }
}

export function describeViolations(label: string, violations: readonly AxeViolation[]): string {
  return [
    `axe-core found ${violations.length} serious or critical violation${violations.length === 1 ? "" : "s"} on ${label}:`,
    ...violations.map((v) => `  [${v.scheme}] ${v.rule} (${v.impact}): ${v.help} — ${v.targets.join(", ")}`),
  ].join("\n");
}
