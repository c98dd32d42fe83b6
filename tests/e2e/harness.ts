/**
 * A tiny browser-test harness: tests are lists of named steps; after every step each
 * open page of the test is screenshotted to `artifacts/e2e/<test>/<NN>-<step>.<page>.png`;
 * a failing step is reported by number and name and its screenshots are kept.
 */
import { appendFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { RemoteSimulatorControl } from "../../tools/provider-simulator/control-client";
import { AccessibilityChecker, describeViolations } from "./accessibility";

/** How long one action or wait may take before the step fails. */
export const ACTION_TIMEOUT_MS = 15_000;
/** A whole test; a hung one fails at the step it was in. */
export const TEST_TIMEOUT_MS = 180_000;
/** Same viewport everywhere, so screenshots compare. */
const VIEWPORT = { width: 1280, height: 800 } as const;

/** What every test can reach. */
export type Services = {
  /** The app (`next start`), e.g. http://localhost:4123. */
  baseUrl: string;
  /** The Convex sandbox's deployment URL (admin endpoints under `/_sandbox/`). */
  sandboxUrl: string;
  /** The sandbox's site URL: convex/http.ts (the public API) is served there. */
  siteUrl: string;
  simulatorUrl: string;
  simulator: RemoteSimulatorControl;
  browser: Browser;
};

/** Cookies and local storage of a browser context, to open another one signed in as the same person. */
export type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

export type E2ETest = { name: string; run: (t: TestContext) => Promise<void> };

/** Declares a test. */
export function e2eTest(name: string, run: (t: TestContext) => Promise<void>): E2ETest {
  return { name, run };
}

/** A failure inside a step, with the step it happened in. */
export class StepError extends Error {
  override readonly name = "StepError";
  constructor(
    readonly stepNumber: number,
    readonly stepName: string,
    options: { cause: unknown },
  ) {
    super(`step ${String(stepNumber).padStart(2, "0")} "${stepName}": ${messageOf(options.cause)}`, options);
  }
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Playwright's messages end in a long call log, coloured; the first lines say what failed.
  return error.message
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .slice(0, 12)
    .join("\n");
}

/** One test's browsers, steps, screenshots and notes. */
export class TestContext {
  readonly dir: string;
  /** Lines printed under the test's result (measurements). */
  readonly notes: string[] = [];
  private readonly contexts: BrowserContext[] = [];
  private readonly pages: Array<{ label: string; page: Page }> = [];
  private stepNumber = 0;
  private currentStep: string | null = null;
  readonly accessibility = new AccessibilityChecker();

  constructor(
    readonly services: Services,
    readonly testName: string,
    artifactsDir: string,
  ) {
    this.dir = join(artifactsDir, slugify(testName));
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** The step running now, or the last one (for failures between steps). */
  get lastStep(): { number: number; name: string | null } {
    return { number: this.stepNumber, name: this.currentStep };
  }

  /**
   * A new person at their own browser: a fresh context (no cookies) and one page.
   * Popups it opens are tracked (and screenshotted) as `<label>-popup`.
   */
  async newBrowser(
    label: string,
    options: { storageState?: StorageState; viewport?: { width: number; height: number } } = {},
  ): Promise<Page> {
    const context = await this.services.browser.newContext({ viewport: VIEWPORT, baseURL: this.services.baseUrl, ...options });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    this.contexts.push(context);
    const page = await context.newPage();
    this.track(label, page);
    // Anything opened after this is a popup of that page.
    context.on("page", (popup) => this.track(`${label}-popup`, popup));
    return page;
  }

  private track(label: string, page: Page): void {
    this.pages.push({ label, page });
    const log = (line: string) => appendFileSync(join(this.dir, "console.log"), `[${label}] ${line}\n`);
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") log(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => log(`pageerror: ${error.message}`));
    page.on("response", (response) => {
      if (response.status() >= 400) log(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
  }

  /** Runs one step; screenshots every open page after it, or on its failure. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.stepNumber += 1;
    this.currentStep = name;
    const prefix = `${String(this.stepNumber).padStart(2, "0")}-${slugify(name)}`;
    try {
      const result = await work();
      await this.screenshotAll(prefix);
      await this.checkAccessibility();
      return result;
    } catch (error) {
      await this.screenshotAll(`${prefix}.FAILED`);
      throw new StepError(this.stepNumber, name, { cause: error });
    }
  }

  /** Screenshots one page now, named after the current step: `<NN>-<step>.<label>.png`. */
  async shot(page: Page, label: string): Promise<void> {
    const prefix = `${String(this.stepNumber).padStart(2, "0")}-${slugify(this.currentStep ?? "setup")}`;
    await page.screenshot({ path: join(this.dir, `${prefix}.${label}.png`), fullPage: true });
  }

  /** axe-core on every open page of the app (accessibility.ts); throws naming each violation. */
  private async checkAccessibility(): Promise<void> {
    const problems: string[] = [];
    for (const { label, page } of this.pages) {
      const violations = await this.accessibility.check(page, this.services.baseUrl);
      if (violations.length > 0) problems.push(describeViolations(`${label} (${page.url()})`, violations));
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));
  }

  /**
   * With `E2E_UPDATE_SCREENSHOTS=1`, writes the README's screenshot `docs/screenshots/<name>.png`
   * of `page` as it is now (down to `bottomOf`'s bottom edge when given, else the viewport).
   */
  async docScreenshot(page: Page, name: string, bottomOf?: Locator): Promise<void> {
    if (process.env.E2E_UPDATE_SCREENSHOTS !== "1") return;
    const path = join("docs", "screenshots", `${name}.png`);
    mkdirSync(join("docs", "screenshots"), { recursive: true });
    const width = page.viewportSize()?.width ?? VIEWPORT.width;
    const bottom = bottomOf ? await bottomOf.evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY) : null;
    await page.screenshot(bottom === null ? { path } : { path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.ceil(bottom) + 24 } });
    this.note(`wrote ${path}`);
  }

  /** A measurement or fact worth printing with the result. */
  note(line: string): void {
    this.notes.push(line);
  }

  private async screenshotAll(prefix: string): Promise<void> {
    for (const { label, page } of this.pages) {
      if (page.isClosed()) continue;
      // A page mid-navigation or closing as we shoot is not a test failure.
      await page.screenshot({ path: join(this.dir, `${prefix}.${label}.png`), fullPage: true, timeout: 5_000 }).catch(() => {});
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.map((context) => context.close().catch(() => {})));
  }
}

// ---------------------------------------------------------------------------
// Waiting and checking. playwright-core has no `expect`; these poll the page.

/** Polls `check` until it returns true; otherwise throws `describe()` after the timeout. */
export async function eventually(
  check: () => Promise<boolean>,
  describe: () => Promise<string> | string,
  timeoutMs = ACTION_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until exactly `count` elements match. */
export async function expectCount(locator: Locator, count: number, what: string): Promise<void> {
  await eventually(
    async () => (await locator.count()) === count,
    async () => `expected ${count} ${what}, found ${await locator.count()}`,
  );
}

/** Waits until the element's text contains `text` (or matches it). */
export async function expectText(locator: Locator, text: string | RegExp, what: string): Promise<void> {
  const matches = (actual: string) => (typeof text === "string" ? actual.includes(text) : text.test(actual));
  await eventually(
    async () => matches(await locator.innerText({ timeout: 1_000 })),
    async () => `expected ${what} to show ${String(text)}, it shows "${await locator.innerText({ timeout: 1_000 }).catch(() => "(nothing)")}"`,
  );
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * Marks the page's current document; `expectNoReload` fails if the page navigated
 * or reloaded since, which is how "without a reload" is checked.
 */
export async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload = true;
  });
}

export async function expectNoReload(page: Page, who: string): Promise<void> {
  const marked = await page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload === true);
  check(marked, `${who}'s page was reloaded or navigated away`);
}
