/**
 * Browser test of API keys: create one (shown once), call the public API with it from
 * the test, watch last used and usage change live on the page, rotate it, revoke it.
 */
import type { Page } from "playwright-core";
import { ALICE, signUpWithOrg } from "./app";
import { check, e2eTest, expectNoReload, expectText, markNoReload, type TestContext } from "./harness";

const PHONE = { width: 390, height: 844 };

async function callApi(t: TestContext, key: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${t.services.siteUrl}/v1/connections`, { headers: { Authorization: `Bearer ${key}`, "User-Agent": "e2e-test/1" } });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, ...(body.code ? { code: body.code } : {}) };
}

/** Reads the key from the dialog that shows it once, and closes the dialog. */
async function takeShownKey(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog");
  const key = (await dialog.getByLabel("API key").inputValue()).trim();
  check(/^sbk_[0-9A-Za-z]{38}$/.test(key), `the dialog shows a key, got ${JSON.stringify(key)}`);
  await dialog.getByRole("button", { name: "Copy key" }).click();
  await dialog.getByText("Copied to the clipboard.").waitFor();
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "detached" });
  return key;
}

export const apiKeyLifecycle = e2eTest("API keys: create, call the API, live last used and usage, rotate, revoke", async (t) => {
  const { page, slug } = await signUpWithOrg(t, ALICE, "alice");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.services.baseUrl });
  const row = page.getByTestId("api-key-row");

  const key = await t.step("create a key; it is shown once", async () => {
    await page.goto(`/o/${slug}/settings/api-keys`);
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    await page.getByText("No API keys yet.").waitFor();
    await page.getByRole("button", { name: "Create API key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create an API key" });
    // Nothing chosen: the error is on the field.
    await dialog.getByLabel("Name").fill("Deploy bot");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expectText(dialog.locator("#key-scopes-error"), "Choose at least one scope.", "the scopes error");
    await dialog.getByLabel("connections:read").check();
    await dialog.getByLabel("Requests per minute").fill("30");
    await t.shot(page, "create-form");
    await dialog.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("dialog", { name: /Your new key/ }).waitFor();
    await t.shot(page, "key-shown");
    const shown = await takeShownKey(page);
    await expectText(row, "Deploy bot", "the key's row");
    await expectText(row, `${shown.slice(0, 8)}…${shown.slice(-4)}`, "the key's prefix and last four");
    await expectText(row.getByTestId("api-key-last-used"), "never", "last used");
    check(!(await page.content()).includes(shown), "the page still holds the key after the dialog closed");
    return shown;
  });

  await t.step("a call with the key shows as last used and in the usage, live", async () => {
    await markNoReload(page);
    await page.getByRole("button", { name: "Show usage of Deploy bot" }).click();
    await expectText(page.getByTestId("key-usage-total"), "0 requests", "the usage before");
    const answer = await callApi(t, key);
    check(answer.status === 200, `the API answered ${JSON.stringify(answer)}`);
    await expectText(row.getByTestId("api-key-last-used"), "just now", "last used");
    await expectText(page.getByTestId("key-usage-total"), "1 request in", "the usage after one call");
    await callApi(t, key);
    await expectText(page.getByTestId("key-usage-total"), "2 requests", "the usage after two calls");
    await expectText(row, "GET /v1/connections", "the request log");
    await expectNoReload(page, "Alice");
    await t.shot(page, "usage");
  });

  const replacement = await t.step("rotate: a new key; the old one stops when its grace is none", async () => {
    await page.getByRole("button", { name: "Rotate Deploy bot" }).click();
    const dialog = page.getByRole("dialog", { name: /Rotate/ });
    await dialog.getByLabel("The old key keeps working for").selectOption({ label: "Stop it now" });
    await dialog.getByRole("button", { name: "Rotate key" }).click();
    const fresh = await takeShownKey(page);
    check(fresh !== key, "rotation gave the same key");
    check((await callApi(t, key)).code === "key_rotated", "the old key still works after a rotation with no grace");
    check((await callApi(t, fresh)).status === 200, "the new key does not work");
    await expectText(page.getByTestId("api-key-row").first(), `…${fresh.slice(-4)}`, "the replacement's row, first");
    return fresh;
  });

  await t.step("revoke the replacement: refused at once", async () => {
    await page.getByRole("button", { name: "Revoke Deploy bot" }).first().click();
    await page.getByRole("dialog", { name: /Revoke/ }).getByRole("button", { name: "Revoke key" }).click();
    await expectText(page.getByTestId("api-key-row").first(), "Revoked", "the revoked key's badge");
    const answer = await callApi(t, replacement);
    check(answer.status === 401 && answer.code === "key_revoked", `the revoked key got ${JSON.stringify(answer)}`);
    await t.shot(page, "revoked");
  });

  await t.step("the keys page and the API reference fit a 390 px phone, in dark mode too", async () => {
    const phone = await t.newBrowser("phone", { storageState: await page.context().storageState(), viewport: PHONE });
    await phone.emulateMedia({ colorScheme: "dark" });
    for (const [path, heading] of [
      [`/o/${slug}/settings/api-keys`, "API keys"],
      [`/o/${slug}/settings/api-keys/reference`, "Operations"],
    ] as const) {
      await phone.goto(path);
      await phone.getByRole("heading", { name: heading }).waitFor();
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      check(scrollWidth <= clientWidth, `${path} is ${scrollWidth} px wide on a ${clientWidth} px screen`);
      await t.shot(phone, path.endsWith("reference") ? "reference-phone" : "keys-phone");
    }
  });
});
