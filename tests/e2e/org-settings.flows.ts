/** Browser flows for Organization settings: rename, a new address that old links follow, namesakes, deleting. */
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
  signIn,
  signUpWithOrg,
} from "./app";
import { check, e2eTest, eventually, expectCount, expectNoReload, expectText, markNoReload, type TestContext } from "./harness";

/** A phone's viewport (iPhone 12–15 portrait). */
const PHONE = { width: 390, height: 844 };
const general = (slug: string) => `/o/${slug}/settings/general`;

/** Alice's organization with Bob as a member, each on their own browser. */
async function aliceAndBob(t: TestContext): Promise<{ alice: Page; bob: Page; slug: string }> {
  await t.step("Bob has an account", () => createAccount(t, BOB));
  const { page: alice, slug } = await t.step("Alice signs up and creates an organization", () => signUpWithOrg(t, ALICE, "alice"));
  await t.step("Alice adds Bob as a member", () => addMember(alice, BOB.email, "member"));
  const bob = await t.newBrowser("bob");
  await t.step("Bob signs in", async () => {
    await bob.goto(general(slug));
    await bob.waitForURL(/\/signin\?next=/);
    await signIn(bob, BOB);
    await bob.waitForURL(`**${general(slug)}`);
  });
  return { alice, bob, slug };
}

async function expectFitsPhone(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  check(scrollWidth <= clientWidth, `${what} is ${scrollWidth} px wide on a ${clientWidth} px screen`);
}

export const orgRenameAndAddress = e2eTest("org settings: rename, change the address, old links follow", async (t) => {
  const { alice, bob, slug } = await aliceAndBob(t);

  await t.step("Bob, a member, sees the name and address read-only", async () => {
    await bob.getByRole("heading", { level: 1, name: "Organization settings" }).waitFor();
    await expectText(bob.locator("main dl"), "/o/acme-inc", "Bob's settings");
    await expectCount(bob.locator("main").getByRole("textbox"), 0, "fields on Bob's settings page");
    await expectCount(bob.getByRole("button", { name: "Delete organization" }), 0, "Delete buttons for Bob");
  });

  await t.step("Alice opens General from the settings navigation", async () => {
    await alice.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "General" }).click();
    await alice.waitForURL(`**${general(slug)}`);
    await alice.getByRole("heading", { level: 1, name: "Organization settings" }).waitFor();
  });

  await t.step("an empty name is refused under the field", async () => {
    const field = alice.getByLabel("Organization name");
    await field.fill("   ");
    await alice.getByRole("button", { name: "Rename organization" }).click();
    await alice.getByText("Give the organization a name.").waitFor();
    check((await field.getAttribute("aria-invalid")) === "true", "the name field should be marked invalid");
  });

  await t.step("Alice renames it; Bob's open page and header follow without a reload", async () => {
    await markNoReload(bob);
    await alice.getByLabel("Organization name").fill("Acme Labs");
    await alice.getByRole("button", { name: "Rename organization" }).click();
    await expectToast(alice, "The organization is now called Acme Labs.");
    await expectText(bob.locator("main dl"), "Acme Labs", "Bob's settings");
    await expectText(bob.getByRole("button", { name: "Switch organization" }), "Acme Labs", "Bob's header");
    await expectNoReload(bob, "Bob");
  });

  await t.step("an address with a space is refused, saying why", async () => {
    await alice.getByLabel("Organization address").fill("acme labs");
    await alice.getByRole("button", { name: "Change address" }).click();
    await alice.getByText("Use only letters a–z, digits and dashes.").waitFor();
  });

  await t.step("Alice moves it to /o/acme-labs: her page and Bob's move with it", async () => {
    await alice.getByLabel("Organization address").fill("acme-labs");
    await alice.getByRole("button", { name: "Change address" }).click();
    await expectToast(alice, "The organization moved to /o/acme-labs.");
    await alice.waitForURL(`**${general("acme-labs")}`);
    await bob.waitForURL(`**${general("acme-labs")}`);
    await expectText(bob.locator("main dl"), "/o/acme-labs", "Bob's settings");
  });

  await t.step("an old link lands on the same page under the new address, query kept", async () => {
    await bob.goto(`${pathOf.integrations(slug)}/github?from=bookmark`);
    await bob.waitForURL(/\/o\/acme-labs\/settings\/integrations\/github\?from=bookmark$/);
    await bob.getByRole("heading", { name: "GitHub" }).first().waitFor();
  });

  await t.step("a second organization named Acme Labs is warned about, then told apart by its slug", async () => {
    await alice.getByRole("button", { name: "Create organization" }).click();
    const dialog = alice.getByRole("dialog", { name: "Create organization" });
    await dialog.getByLabel("Name").fill("Acme Labs");
    await dialog.getByRole("button", { name: "Create organization" }).click();
    await expectText(dialog.getByRole("status"), "You already have an organization named Acme Labs (/o/acme-labs).", "the warning");
    await t.shot(alice, "namesake-warning");
    await dialog.getByRole("button", { name: "Create another Acme Labs" }).click();
    await alice.waitForURL(/\/o\/acme-labs-2\/settings\/integrations$/);
    await alice.getByRole("button", { name: "Switch organization" }).click();
    const items = alice.getByRole("menuitemradio");
    await expectCount(items, 2, "organizations in the switcher");
    await expectText(items.nth(0), "/o/acme-labs", "the first Acme Labs");
    await expectText(items.nth(1), "/o/acme-labs-2", "the second Acme Labs");
    await t.shot(alice, "switcher-namesakes");
    await alice.keyboard.press("Escape");
  });

  await t.step("the settings page in a dark system theme", async () => {
    await alice.goto(general("acme-labs"));
    await alice.emulateMedia({ colorScheme: "dark" });
    await alice.getByRole("button", { name: "Delete organization" }).waitFor();
    await t.shot(alice, "dark");
    await alice.emulateMedia({ colorScheme: "light" });
  });

  await t.step("the settings page fits a 390 px phone", async () => {
    const phone = await t.newBrowser("alice-phone", { storageState: await alice.context().storageState(), viewport: PHONE });
    await phone.goto(general("acme-labs"));
    await phone.getByRole("button", { name: "Delete organization" }).waitFor();
    await expectFitsPhone(phone, "the settings page");
  });
});

export const orgDelete = e2eTest("org settings: delete after typing the name; connections revoked; members told", async (t) => {
  const { alice, bob, slug } = await aliceAndBob(t);

  await t.step("Alice connects GitHub", async () => {
    await openIntegrations(alice, slug);
    await connectInPopup(t, alice, "github", "Connect");
    await expectCardStatus(alice, "github", "connected", "Alice");
  });

  await t.step("Bob has the integrations page open", async () => {
    await openIntegrations(bob, slug);
    await expectCardStatus(bob, "github", "connected", "Bob");
    await markNoReload(bob);
  });

  const dialog = alice.getByRole("dialog", { name: "Delete Acme Inc?" });
  const confirmButton = dialog.getByRole("button", { name: "Delete organization" });
  await t.step("the delete dialog keeps its button off until the name is typed exactly", async () => {
    await alice.goto(general(slug));
    await alice.getByRole("button", { name: "Delete organization" }).click();
    await dialog.waitFor();
    check(await confirmButton.isDisabled(), "Delete should be disabled before anything is typed");
    await dialog.getByLabel(/to confirm/).fill("acme inc");
    check(await confirmButton.isDisabled(), "Delete should stay disabled for the name in the wrong case");
    await t.shot(alice, "wrong-name");
    await dialog.getByLabel(/to confirm/).fill("Acme Inc");
    check(await confirmButton.isEnabled(), "Delete should be enabled for the exact name");
  });

  await t.step("the dialog fits a 390 px phone", async () => {
    await alice.setViewportSize(PHONE);
    await expectFitsPhone(alice, "the delete dialog");
    await t.shot(alice, "delete-dialog-phone");
    await alice.setViewportSize({ width: 1280, height: 800 });
  });

  const revokedBefore = ((await t.services.simulator.revocations({ providerId: "github" })) as unknown[]).length;
  await t.step("deleting: Alice and Bob are both told the organization was deleted", async () => {
    await confirmButton.click();
    await alice.getByRole("heading", { level: 1, name: "Acme Inc was deleted" }).waitFor();
    await bob.getByRole("heading", { level: 1, name: "Acme Inc was deleted" }).waitFor();
    await expectNoReload(bob, "Bob");
    await expectCount(card(bob, "github"), 0, "GitHub cards left on Bob's page");
  });

  await t.step("GitHub's grant was revoked at the provider", async () => {
    await eventually(
      async () => ((await t.services.simulator.revocations({ providerId: "github" })) as unknown[]).length > revokedBefore,
      async () => "the simulator recorded no revocation for GitHub",
    );
  });

  await t.step("the organization is gone from Alice's list and its address leads nowhere", async () => {
    await alice.goto("/orgs");
    await alice.getByText("You are not in any organization yet").waitFor();
    await alice.goto(pathOf.members(slug));
    await alice.getByRole("heading", { level: 1, name: "Organization not found" }).waitFor();
  });
});
