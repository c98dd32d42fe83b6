/**
 * Browser tests of the integrations pages against the sandbox and the
 * provider simulator.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import {
  ALICE,
  BOB,
  addMember,
  card,
  connectInPopup,
  createAccount,
  expectCardStatus,
  expectToast,
  openIntegrations,
  pathOf,
  sandboxIds,
  sandboxRun,
  signIn,
  signUpWithOrg,
} from "./app";
import {
  check,
  e2eTest,
  eventually,
  expectCount,
  expectNoReload,
  expectText,
  markNoReload,
  type StorageState,
  type TestContext,
} from "./harness";

/** Where the README's dashboard screenshot lives; rewritten only when asked to. */
const DOCS_SCREENSHOT = "docs/screenshots/integrations.png";
/** Status flips timed for the latency figure. */
const LATENCY_SAMPLES = 10;

/** Alice's organization with Bob in it as a member, both on the integrations page. */
async function adminAndMember(t: TestContext): Promise<{ alice: Page; bob: Page; slug: string }> {
  await t.step("Bob creates an account", () => createAccount(t, BOB));
  const { page: alice, slug } = await t.step("Alice signs up, creates an organization, adds Bob", async () => {
    const made = await signUpWithOrg(t, ALICE, "alice");
    await addMember(made.page, BOB.email, "member");
    return made;
  });
  const bob = await t.newBrowser("bob");
  await t.step("both open the integrations page", async () => {
    await openIntegrations(alice, slug);
    await bob.goto(pathOf.integrations(slug));
    await bob.waitForURL(/\/signin/);
    await signIn(bob, BOB);
    await bob.waitForURL(`**${pathOf.integrations(slug)}`);
    await card(bob, "github").waitFor();
    for (const [page, who] of [[alice, "Alice"], [bob, "Bob"]] as const) {
      await expectCardStatus(page, "github", "not_connected", who);
      await page.getByTestId("simulated-notice").waitFor();
    }
    await card(alice, "github").getByRole("button", { name: "Connect" }).waitFor();
    await bob.getByText("Only owners and admins manage integrations.").waitFor();
    await expectCount(bob.locator("main").getByRole("button"), 0, "buttons on Bob's integrations page");
  });
  return { alice, bob, slug };
}

/** Alice alone, with an organization, on its integrations page. */
async function adminAlone(t: TestContext): Promise<{ alice: Page; slug: string }> {
  return t.step("Alice signs up, creates an organization and opens its integrations", async () => {
    const made = await signUpWithOrg(t, ALICE, "alice");
    await openIntegrations(made.page, made.slug);
    return { alice: made.page, slug: made.slug };
  });
}

/** A member's card shows status and no way to act on it. */
async function expectNoCardButtons(page: Page, providerId: string, who: string): Promise<void> {
  await expectCount(card(page, providerId).getByRole("button"), 0, `buttons on ${who}'s ${providerId} card`);
}

export const githubPopup = e2eTest("github: popup connect, live member page, revoke, reconnect", async (t) => {
  const { alice, bob, slug } = await adminAndMember(t);

  await t.step("first-load JavaScript of the integrations route", async () => {
    const kb = await firstLoadScripts(t, slug, await alice.context().storageState());
    t.note(`integrations route first load: ${kb.count} scripts, ${kb.rawKb} kB raw, ${kb.gzipKb} kB gzip`);
  });

  await t.step("Alice connects GitHub in a popup; both cards turn Connected without a reload", async () => {
    await markNoReload(alice);
    await markNoReload(bob);
    await connectInPopup(t, alice, "github", "Connect");
    await expectCardStatus(alice, "github", "connected", "Alice");
    await expectCardStatus(bob, "github", "connected", "Bob");
    await expectText(card(bob, "github"), "sim-octocat", "Bob's GitHub card");
    // Fresh data is newer than the ticking clock the card reads; it must not look like the future.
    await expectText(card(bob, "github"), "Checked just now", "Bob's GitHub card");
    await expectToast(alice, "GitHub connected.");
    await expectNoCardButtons(bob, "github", "Bob");
    // A member can open the provider page, read-only.
    await card(bob, "github").getByRole("link", { name: "Open" }).waitFor();
    await expectNoReload(alice, "Alice");
    await expectNoReload(bob, "Bob");
  });

  await t.step("Alice tests the connection", async () => {
    await card(alice, "github").getByRole("button", { name: "Test" }).click();
    await expectToast(alice, "GitHub answered as expected.");
    await expectCardStatus(alice, "github", "connected", "Alice");
  });

  await t.step("the simulator revokes the token; after Test both pages show Error", async () => {
    await t.services.simulator.revokeAll("github");
    const changed = await watchCardStatus(bob, "github", "error");
    const clickedAt = wallClockMs();
    await card(alice, "github").getByRole("button", { name: "Test" }).click();
    t.note(`Alice clicks Test → Bob's card shows Error: ${Math.round((await changed()) - clickedAt)} ms (includes the call to the provider)`);
    await expectCardStatus(alice, "github", "error", "Alice");
    for (const [page, who, fix] of [[alice, "Alice", "Reconnect to fix it."], [bob, "Bob", "Ask an admin to reconnect it."]] as const) {
      await expectText(card(page, "github").getByTestId("status-badge"), "Error", `${who}'s badge`);
      await expectText(card(page, "github"), fix, `${who}'s GitHub card`);
    }
    await card(alice, "github").getByRole("button", { name: "Reconnect" }).waitFor();
    await expectNoCardButtons(bob, "github", "Bob");
    await expectNoReload(bob, "Bob");
  });

  await t.step("Reconnect fixes it on both pages", async () => {
    await connectInPopup(t, alice, "github", "Reconnect");
    await expectCardStatus(alice, "github", "connected", "Alice");
    await expectCardStatus(bob, "github", "connected", "Bob");
    await card(alice, "github").getByRole("button", { name: "Test" }).click();
    await expectToast(alice, "GitHub answered as expected.");
    await expectNoReload(bob, "Bob");
  });

  await t.step("status change in the sandbox → card re-rendered in Bob's browser", async () => {
    const { orgId, userId } = await sandboxIds(t.services, ALICE.email);
    // A test result counts only for the secrets that were tested: the probe reports on the stored ones.
    const row = (await sandboxRun(t.services, "integrations/store:getConnection", { orgId, providerId: "github" })) as {
      secrets: Record<string, string>;
    };
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
      const broken = i % 2 === 0;
      const rendered = await watchCardStatus(bob, "github", broken ? "error" : "connected");
      const sentAt = wallClockMs();
      await sandboxRun(t.services, "integrations/store:recordTest", {
        orgId,
        providerId: "github",
        userId,
        testedSecrets: row.secrets,
        result: broken ? { ok: false, reason: "unauthorized", message: "Latency probe" } : { ok: true },
      });
      samples.push((await rendered()) - sentAt);
    }
    samples.sort((a, b) => a - b);
    const median = samples[Math.floor(samples.length / 2)]!;
    t.note(
      `status change in the sandbox → Bob's card re-rendered: median ${median.toFixed(0)} ms, ` +
        `min ${samples[0]!.toFixed(0)} ms, max ${samples.at(-1)!.toFixed(0)} ms over ${samples.length} changes`,
    );
    await expectCardStatus(bob, "github", "connected", "Bob");
    await expectNoReload(bob, "Bob");
  });

  await t.step("the dashboard screenshot", async () => {
    // The top of the page at rest: no toasts, no hover, no focus ring.
    await alice.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" });
    await alice.mouse.move(0, 0);
    await alice.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    // Down to the end of the Engineering row, where the GitHub card is.
    const bottom = await card(alice, "github").evaluate((el) => el.getBoundingClientRect().bottom);
    await alice.screenshot({ path: `${t.dir}/dashboard.png`, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 24 } });
    if (process.env.E2E_UPDATE_SCREENSHOTS === "1") {
      mkdirSync("docs/screenshots", { recursive: true });
      copyFileSync(`${t.dir}/dashboard.png`, DOCS_SCREENSHOT);
      t.note(`wrote ${DOCS_SCREENSHOT}`);
    }
  });
});

export const wordpressCredentials = e2eTest("wordpress: wrong password refused, right one connects", async (t) => {
  const { alice } = await adminAlone(t);
  const siteUrl = (await t.services.simulator.siteUrl("wordpress")) as string;
  await t.services.simulator.addWordPressUser("e2e-editor", "abcd EFGH ijkl MNOP qrst UVWX");
  const dialog = alice.getByRole("dialog", { name: "Connect WordPress" });

  await t.step("Connect opens the WordPress form", async () => {
    await card(alice, "wordpress").getByRole("button", { name: "Connect" }).click();
    await dialog.waitFor();
    await dialog.getByLabel("Site URL").fill(siteUrl);
    await dialog.getByLabel("Username").fill("e2e-editor");
  });

  await t.step("a wrong application password shows the server's error in the dialog", async () => {
    await dialog.getByLabel("Application password").fill("wxyz wxyz wxyz wxyz wxyz wxyz");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await expectText(dialog.getByRole("alert"), "WordPress refused these credentials. Check them and try again.", "the dialog's error");
    await expectCardStatus(alice, "wordpress", "not_connected", "Alice");
  });

  await t.step("the right application password connects", async () => {
    await dialog.getByLabel("Application password").fill("abcd EFGH ijkl MNOP qrst UVWX");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectCardStatus(alice, "wordpress", "connected", "Alice");
    await expectToast(alice, /WordPress connected as /);
  });
});

export const disconnectAndActivity = e2eTest("disconnect asks first; the activity page lists every step", async (t) => {
  const { alice, slug } = await adminAlone(t);

  await t.step("connect, test, revoke, test again, reconnect", async () => {
    await connectInPopup(t, alice, "github", "Connect");
    await expectCardStatus(alice, "github", "connected", "Alice");
    await card(alice, "github").getByRole("button", { name: "Test" }).click();
    await expectToast(alice, "GitHub answered as expected.");
    await t.services.simulator.revokeAll("github");
    await card(alice, "github").getByRole("button", { name: "Test" }).click();
    await expectCardStatus(alice, "github", "error", "Alice");
    await connectInPopup(t, alice, "github", "Reconnect");
    await expectCardStatus(alice, "github", "connected", "Alice");
  });

  const confirm = alice.getByRole("dialog", { name: "Disconnect GitHub?" });
  await t.step("Disconnect asks first; Cancel keeps the connection and gives focus back to the button", async () => {
    // From the keyboard, as someone without a mouse would.
    await card(alice, "github").getByRole("button", { name: "Disconnect" }).focus();
    await alice.keyboard.press("Enter");
    await expectText(confirm, "revokes its access at GitHub", "the confirmation");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expectCardStatus(alice, "github", "connected", "Alice");
    const focused = await alice.evaluate(() => `${document.activeElement?.tagName}: ${(document.activeElement?.textContent ?? "").slice(0, 40)}`);
    check(focused === "BUTTON: Disconnect GitHub", `focus should return to the Disconnect button, it is on ${focused}`);
  });

  await t.step("confirming disconnects: the card is Disconnected and offers Connect", async () => {
    await card(alice, "github").getByRole("button", { name: "Disconnect" }).click();
    await confirm.getByRole("button", { name: "Disconnect" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expectCardStatus(alice, "github", "disconnected", "Alice");
    await expectText(card(alice, "github").getByTestId("status-badge"), "Disconnected", "the badge");
    await card(alice, "github").getByRole("button", { name: "Connect" }).waitFor();
    // Its button is gone with the connection: focus resumes at the page's content, not the top of the document.
    check(await alice.evaluate(() => document.getElementById("main")?.contains(document.activeElement) ?? false), "focus is in the main content");
    const revoked = (await t.services.simulator.revocations({ providerId: "github" })) as unknown[];
    check(revoked.length > 0, "disconnecting should revoke the grant at the simulator");
  });

  await t.step("the activity page lists every step, newest first", async () => {
    await alice.goto(pathOf.activity(slug));
    const rows = alice.getByTestId("activity-row");
    await rows.first().waitFor();
    const expected = [
      "integration.disconnected",
      "integration.reconnected",
      // The failed Test, then the connection turning to error because of it.
      "integration.unauthorized",
      "integration.test_failed",
      "integration.tested",
      "integration.connected",
      "org.created",
    ];
    const actions = () => rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-action")));
    await eventually(
      async () => JSON.stringify(await actions()) === JSON.stringify(expected),
      async () => `expected ${expected.join(", ")}; the page lists ${(await actions()).join(", ")}`,
    );
  });

  await t.step("the times read as past", async () => {
    await expectCount(alice.getByTestId("activity-row").filter({ hasText: /\bin a few seconds\b/ }), 0, "rows dated in the future");
  });

  await t.step("filtering by GitHub leaves only its steps", async () => {
    await alice.getByLabel("Provider").selectOption("github");
    await expectCount(alice.getByTestId("activity-row"), 6, "GitHub activity rows");
  });
});

export const popupBlocked = e2eTest("popup blocked: connect falls back to a full redirect", async (t) => {
  const { alice, slug } = await adminAlone(t);
  // As a popup blocker does: window.open returns null.
  await alice.addInitScript(() => {
    window.open = () => null;
  });

  await t.step("Connect goes to the provider in the same tab; Deny returns with an error banner", async () => {
    await openIntegrations(alice, slug);
    await card(alice, "github").getByRole("button", { name: "Connect" }).click();
    await alice.getByRole("button", { name: "Deny" }).waitFor();
    check(/\(simulated\)/.test(await alice.title()), `expected the simulator's consent page, got "${await alice.title()}"`);
    await t.shot(alice, "alice-consent");
    await alice.getByRole("button", { name: "Deny" }).click();
    await alice.waitForURL(/\/settings\/integrations\?error=/);
    await expectText(alice.getByTestId("return-banner"), "GitHub was not connected", "the banner");
    await expectCardStatus(alice, "github", "not_connected", "Alice");
  });

  let consentUrl = "";
  await t.step("Connect again and Approve: back with the ?connected= banner and a Connected card", async () => {
    await card(alice, "github").getByRole("button", { name: "Connect" }).click();
    await alice.getByRole("button", { name: "Approve" }).waitFor();
    consentUrl = alice.url();
    await alice.getByRole("button", { name: "Approve" }).click();
    await alice.waitForURL(/\/settings\/integrations\?connected=github/);
    await expectText(alice.getByTestId("return-banner"), "GitHub is connected", "the banner");
    await expectCardStatus(alice, "github", "connected", "Alice");
  });

  await t.step("dismissing the banner clears the address", async () => {
    await alice.getByTestId("return-banner").getByRole("button", { name: "Dismiss" }).click();
    await alice.waitForURL((url) => url.search === "");
    await expectCount(alice.getByTestId("return-banner"), 0, "banners");
  });

  await t.step("approving the same consent page again says GitHub is already connected, not a failure", async () => {
    await alice.goto(consentUrl);
    await alice.getByRole("button", { name: "Approve" }).click();
    await alice.waitForURL(/\/settings\/integrations\?error=state_reused/);
    await expectText(alice.getByTestId("return-banner"), "GitHub is already connected", "the banner");
    check((await alice.getByTestId("return-banner").getAttribute("role")) === "status", "the banner is a status, not an alert");
    await expectCardStatus(alice, "github", "connected", "Alice");
  });
});

/** Wall-clock milliseconds with sub-millisecond precision; the browser's clock is the same machine's. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Starts watching the card in the page; the returned function resolves with the
 * browser's wall-clock time at which its `data-status` became `status`, seen by a
 * MutationObserver (so: when React committed the change to the DOM). Arm it before
 * making the change.
 */
async function watchCardStatus(page: Page, providerId: string, status: string): Promise<() => Promise<number>> {
  await page.evaluate(
    ({ selector, wanted, timeoutMs }) => {
      // No named helpers in here: tsx would wrap them in a __name() the page does not have.
      (window as unknown as { __e2eStatusSeen?: Promise<number> }).__e2eStatusSeen = new Promise<number>((resolve, reject) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector(selector)?.getAttribute("data-status") !== wanted) return;
          observer.disconnect();
          resolve(performance.timeOrigin + performance.now());
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
        setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${selector} did not become ${wanted} within ${timeoutMs} ms`));
        }, timeoutMs);
      });
    },
    { selector: `[data-testid="integration-card-${providerId}"]`, wanted: status, timeoutMs: 15_000 },
  );
  return () => page.evaluate(() => (window as unknown as { __e2eStatusSeen: Promise<number> }).__e2eStatusSeen);
}

/**
 * The JavaScript a fresh browser downloads for a first visit to the integrations page
 * (signed in, empty cache): what Next's build output used to call "First Load JS".
 */
async function firstLoadScripts(
  t: TestContext,
  slug: string,
  storageState: StorageState,
): Promise<{ count: number; rawKb: string; gzipKb: string }> {
  const page = await t.newBrowser("first-load", { storageState });
  const bodies: Array<Promise<Buffer>> = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") bodies.push(response.body());
  });
  await page.goto(pathOf.integrations(slug), { waitUntil: "networkidle" });
  await card(page, "github").waitFor();
  const scripts = await Promise.all(bodies);
  await t.shot(page, "first-load");
  await page.context().close();
  const raw = scripts.reduce((sum, body) => sum + body.length, 0);
  const gzip = scripts.reduce((sum, body) => sum + gzipSync(body).length, 0);
  return { count: scripts.length, rawKb: (raw / 1024).toFixed(0), gzipKb: (gzip / 1024).toFixed(0) };
}

export const testRequestDialog = e2eTest("test request and Test click: each is in the provider page's call list", async (t) => {
  const { alice, slug } = await adminAlone(t);
  await t.step("connect GitHub and open its page", async () => {
    await connectInPopup(t, alice, "github", "Connect");
    await expectCardStatus(alice, "github", "connected", "Alice");
    await card(alice, "github").getByRole("link", { name: "Open" }).click();
    await alice.waitForURL(`**${pathOf.integrations(slug)}/github`);
    await alice.getByRole("heading", { name: "GitHub" }).waitFor();
  });
  await t.step("the connect's own requests are listed: the token exchange and the account lookup", async () => {
    const kinds = alice.locator('[data-testid="call-row"] [data-testid="call-kind"]');
    await kinds.first().waitFor();
    check((await kinds.allTextContents()).join(",") === "Connect check,Token exchange", "connect check and token exchange rows");
  });
  await t.step("a Test click is listed with the reference its toast shows", async () => {
    await alice.getByRole("button", { name: "Test", exact: true }).click();
    await expectToast(alice, "GitHub answered as expected.");
    const toastText = (await alice.locator("[data-sonner-toaster]").textContent()) ?? "";
    const reference = /Reference (call_[0-9a-f-]{36})/.exec(toastText)?.[1] ?? "";
    check(reference.length > 8, `a reference in the toast, got "${toastText}"`);
    const row = alice.locator(`[data-testid="call-row"][data-correlation-id="${reference}"]`);
    await row.waitFor();
    await expectText(row, "Test", "the row's kind");
    await expectText(row, "200", "the logged status");
  });
  const dialog = alice.getByRole("dialog", { name: "Test request" });
  await t.step("a bad JSON body is refused in the dialog before anything is sent", async () => {
    await alice.getByRole("button", { name: "Test request" }).click();
    await dialog.getByLabel("Method").selectOption("POST");
    await dialog.getByLabel("JSON body").fill("{not json");
    await dialog.getByRole("button", { name: "Send request" }).click();
    await dialog.getByText(/not valid JSON/).waitFor();
    await dialog.getByLabel("JSON body").fill("");
    await dialog.getByLabel("Method").selectOption("GET");
  });
  const correlationId = await t.step("GET /user answers 200 with a correlation id", async () => {
    await dialog.getByRole("button", { name: "Send request" }).click();
    const answer = dialog.getByTestId("test-answer");
    await answer.waitFor();
    await expectText(answer, "HTTP 200", "the answer's status");
    await expectText(answer, "sim-octocat", "the pretty-printed answer");
    const id = (await dialog.getByTestId("correlation-id").textContent())?.trim() ?? "";
    check(id.length > 8, `a correlation id, got "${id}"`);
    return id;
  });
  await t.step("the same correlation id is in the call list", async () => {
    await dialog.getByRole("button", { name: "Close" }).first().click();
    const row = alice.locator(`[data-testid="call-row"][data-correlation-id="${correlationId}"]`);
    await row.waitFor();
    await expectText(row, "GET /user", "the logged request");
    await expectText(row, "200", "the logged status");
  });
  await t.step("the calls chart shows 24 hours per hour, or 7 days per day", async () => {
    const chart = alice.getByRole("region", { name: "Calls over time" });
    await expectText(chart, "Calls per hour, last 24 hours", "the chart's caption");
    // Drawn by the lazily loaded chart library.
    await chart.locator(".recharts-surface").waitFor();
    // The counters are summarised at the end of each minute: wait for this minute's calls.
    await chart.getByText(/: [1-9]\d* succeeded/).waitFor({ timeout: 75_000 });
    await t.docScreenshot(alice, "provider", chart);
    await chart.getByRole("button", { name: "7 days" }).click();
    await expectText(chart, "Calls per day, last 7 days", "the chart's caption");
    check((await chart.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed")) === "true", "7 days is pressed");
    check((await chart.locator("table tbody tr").count()) === 7, "seven days in the chart's table");
  });
  await t.step("the page follows a dark system theme", async () => {
    await alice.emulateMedia({ colorScheme: "dark" });
    const background = await alice.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const text = await alice.evaluate(() => getComputedStyle(document.body).color);
    check(background !== text, "text and background differ");
    check(isDark(background), `a dark background, got ${background}`);
  });
});

/** True for a CSS color whose lightness is low, in the spellings Chromium computes. */
function isDark(color: string): boolean {
  const number = Number(/^[a-z]+\(([\d.]+)/.exec(color)?.[1] ?? NaN);
  if (color.startsWith("lab(")) return number < 30;
  if (color.startsWith("oklch(") || color.startsWith("oklab(")) return number < 0.3;
  if (color.startsWith("rgb")) return number < 80;
  return false;
}

export const refreshInCallList = e2eTest("token refresh: the scheduled refresh is in the provider page's call list", async (t) => {
  const { alice, slug } = await adminAlone(t);
  await t.step("connect GitHub with 10-second tokens and open its page", async () => {
    // A token is refreshed at the latest halfway through its life: here about 5 s after connecting.
    await t.services.simulator.setTokenLifetime("github", 10);
    await connectInPopup(t, alice, "github", "Connect");
    await expectCardStatus(alice, "github", "connected", "Alice");
    await card(alice, "github").getByRole("link", { name: "Open" }).click();
    await alice.waitForURL(`**${pathOf.integrations(slug)}/github`);
  });
  await t.step("the scheduled job's refresh appears, live, with its own correlation id", async () => {
    const refresh = alice.locator('[data-testid="call-row"]', { has: alice.getByTestId("call-kind").getByText("Token refresh") });
    await refresh.first().waitFor({ timeout: 20_000 });
    await expectText(refresh.first(), "200", "the refresh's status");
    const id = (await refresh.first().getAttribute("data-correlation-id")) ?? "";
    check(id.startsWith("call_"), `a correlation id on the refresh row, got "${id}"`);
  });
});
