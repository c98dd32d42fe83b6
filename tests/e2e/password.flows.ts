/** Browser flows for passwords: the strength rule at sign-up, and reset by a code read from the offline mailbox. */
import type { Page } from "playwright-core";
import { ALICE, openSignUp, signIn, signUp } from "./app";
import { check, e2eTest, eventually, expectCount, expectText, type TestContext } from "./harness";

const PHONE = { width: 390, height: 844 };
const NEW_PASSWORD = "amber-lantern-harbor-7";

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  check(scrollWidth <= clientWidth, `${what} is ${scrollWidth} px wide on a ${clientWidth} px screen`);
}

/** The zxcvbn dictionaries' chunk is about 1.6 MB; nothing the sign-in page needs first comes near. */
const DICTIONARY_BYTES = 1_000_000;

/** The decoded size of the largest script the page has loaded so far. */
function largestScriptBytes(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(
      0,
      ...performance
        .getEntriesByType("resource")
        .filter((entry) => entry.name.endsWith(".js"))
        .map((entry) => (entry as PerformanceResourceTiming).decodedBodySize),
    ),
  );
}

export const weakPasswordRefused = e2eTest("a weak password is refused", async (t) => {
  for (const [label, viewport] of [["desktop", undefined], ["phone", PHONE]] as const) {
    const page = await t.newBrowser(label, viewport ? { viewport } : {});
    const meter = page.getByTestId("password-strength");
    const alert = page.locator("form").getByRole("alert");

    await t.step(`${label}: the meter says why password1 is weak as it is typed`, async () => {
      if (label === "desktop") {
        await page.goto("/signin");
        await page.getByLabel("Password").fill("typing-to-sign-in");
        await page.waitForLoadState("networkidle");
        check((await largestScriptBytes(page)) < DICTIONARY_BYTES, "signing in downloaded the password dictionaries");
      }
      await openSignUp(page);
      await page.getByLabel("Name").fill(ALICE.name);
      await page.getByLabel("Email").fill(ALICE.email);
      await page.getByLabel("Password").fill("password1");
      await expectText(meter, "This is a commonly used password.", "the strength meter");
      check((await meter.getAttribute("data-ok")) === "false", "the meter should show a refused password");
      const largest = await largestScriptBytes(page);
      check(largest >= DICTIONARY_BYTES, `choosing a password should load the dictionaries (largest script: ${largest} bytes)`);
      if (label === "desktop") t.note(`password dictionaries chunk, loaded on demand: ${(largest / 1024).toFixed(0)} KB decoded`);
    });

    await t.step(`${label}: creating the account is refused with the reason, on the field`, async () => {
      await page.getByRole("button", { name: "Create account" }).click();
      const field = page.getByLabel("Password");
      await eventually(async () => (await field.getAttribute("aria-invalid")) === "true", async () => "the password field should be marked invalid");
      check(await field.evaluate((input) => input === document.activeElement), "the refused password field should have the focus");
      const describedBy = await field.getAttribute("aria-describedby");
      check(describedBy === "password-strength", `the password field is described by ${describedBy}`);
      await expectText(meter, "This is a commonly used password. Add another word or two that are less common.", "the reason under the field");
      check(new URL(page.url()).pathname === "/signin", `a refused sign-up left /signin for ${page.url()}`);
      await expectNoSidewaysScroll(page, "the sign-up form with an error");
    });

    await t.step(`${label}: the email address itself is refused too`, async () => {
      await page.getByLabel("Password").fill(ALICE.email);
      await expectText(meter, "Don't use your email address as your password.", "the strength meter");
      await page.getByRole("button", { name: "Create account" }).click();
      await expectText(meter, "Don't use your email address as your password.", "the reason under the field");
      await expectCount(alert, 0, "alerts repeating the reason");
    });

    if (label === "desktop") {
      await t.step("a strong password is accepted", async () => {
        await page.getByLabel("Password").fill(ALICE.password);
        await expectText(meter, "Good to go.", "the strength meter");
        await page.getByRole("button", { name: "Create account" }).click();
        await page.waitForURL("**/orgs");
      });
    }
  }
});

/** The reset code in the newest mail to `email`, read off the simulator's mailbox page. */
async function codeFromMailbox(t: TestContext, mailbox: Page, email: string): Promise<string> {
  await mailbox.goto(`${t.services.simulatorUrl}/mailbox`);
  const mail = mailbox.getByTestId("mail").first();
  await expectText(mail.getByTestId("mail-to"), email, "the newest mail's recipient");
  await expectText(mail, "Your Switchboard password reset code", "the newest mail's subject");
  const body = await mail.getByTestId("mail-text").innerText();
  const code = /Your code: ([0-9]{8})/.exec(body)?.[1];
  check(code, `no code in the mail: ${body}`);
  check(body.includes("within 15 minutes"), `the mail should say when the code expires: ${body}`);
  return code;
}

export const passwordResetThroughMailbox = e2eTest("password reset through the offline mailbox", async (t) => {
  await t.step("Alice has an account", async () => {
    const page = await t.newBrowser("signup");
    await signUp(page, ALICE);
    await page.context().close();
  });

  const phone = await t.newBrowser("phone", { viewport: PHONE });
  await t.step("Forgot password? on a phone asks for the email and says a code went out", async () => {
    await phone.goto("/signin");
    await phone.getByLabel("Email").fill(ALICE.email);
    await phone.getByRole("button", { name: "Forgot password?" }).click();
    await phone.getByText("Reset your password").waitFor();
    await phone.getByRole("button", { name: "Send reset code" }).click();
    await expectText(phone.locator("main"), `If ${ALICE.email} has an account, we sent it a code of 8 digits. It works for 15 minutes.`, "the reset page");
    await expectNoSidewaysScroll(phone, "the reset form");
  });

  await t.step("an unknown email gets the same answer and no mail", async () => {
    const other = await t.newBrowser("stranger");
    await other.goto("/signin");
    await other.getByRole("button", { name: "Forgot password?" }).click();
    await other.getByLabel("Email").fill("nobody@example.com");
    await other.getByRole("button", { name: "Send reset code" }).click();
    await expectText(other.locator("main"), "If nobody@example.com has an account, we sent it a code of 8 digits.", "the reset page");
    const mail = await t.services.simulator.sentMail({ to: "nobody@example.com" });
    check(mail.length === 0, `a mail went to an unknown address: ${JSON.stringify(mail)}`);
    await other.context().close();
  });

  const mailbox = await t.newBrowser("mailbox");
  const code = await t.step("the mailbox shows the code", async () => {
    const fromPage = await codeFromMailbox(t, mailbox, ALICE.email);
    // The control API tests read agrees with the page a person reads.
    const [newest] = await t.services.simulator.sentMail({ to: ALICE.email });
    check(newest?.text?.includes(`Your code: ${fromPage}`), "the mailbox JSON should hold the same code");
    return fromPage;
  });

  await t.step("a wrong code is refused, saying codes expire", async () => {
    const wrong = code === "00000000" ? "11111111" : "00000000";
    await phone.getByLabel("Code", { exact: true }).fill(wrong);
    await phone.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await phone.getByRole("button", { name: "Reset password and sign in" }).click();
    await expectText(phone.locator("form").getByRole("alert"), "That code is wrong or has expired (codes work for 15 minutes).", "the reset error");
    await expectNoSidewaysScroll(phone, "the reset form with an error");
  });

  await t.step("a weak new password is refused before it is sent", async () => {
    await phone.getByLabel("Code", { exact: true }).fill(code);
    await phone.getByLabel("New password", { exact: true }).fill("qwerty123");
    await expectText(phone.getByTestId("password-strength"), "This is a commonly used password.", "the strength meter");
    await phone.getByRole("button", { name: "Reset password and sign in" }).click();
    const field = phone.getByLabel("New password", { exact: true });
    await eventually(async () => (await field.getAttribute("aria-invalid")) === "true", async () => "the new password field should be marked invalid");
    await expectCount(phone.locator("form").getByRole("alert"), 0, "alerts repeating the reason");
  });

  await t.step("the right code and a strong password sign in", async () => {
    await phone.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await expectText(phone.getByTestId("password-strength"), "Good to go.", "the strength meter");
    await phone.getByRole("button", { name: "Reset password and sign in" }).click();
    await phone.waitForURL("**/orgs");
    await phone.getByText("You are not in any organization yet").waitFor();
  });

  await t.step("the old password no longer works", async () => {
    const desktop = await t.newBrowser("old-password");
    await desktop.goto("/signin");
    await signIn(desktop, ALICE);
    await expectText(desktop.locator("form").getByRole("alert"), "Wrong email or password.", "the sign-in error");
    await desktop.context().close();
  });

  await t.step("the new password does", async () => {
    const desktop = await t.newBrowser("new-password");
    await desktop.goto("/signin");
    await signIn(desktop, { ...ALICE, password: NEW_PASSWORD });
    await desktop.waitForURL("**/orgs");
  });
});
