/**
 * What a person does in Switchboard, as the tests' vocabulary: sign up, create an
 * organization, add members, open pages, connect providers. Each helper drives the
 * real UI and waits for its visible outcome.
 */
import type { Locator, Page } from "playwright-core";
import { check, eventually, expectText, type Services, type TestContext } from "./harness";

export type Person = { name: string; email: string; password: string };

// Each passes the password rule (lib/passwords.ts: strong enough by zxcvbn, and not built from its owner's name or email).
export const ALICE: Person = { name: "Alice Admin", email: "alice@example.com", password: "alice-violet-harbor-42" };
export const BOB: Person = { name: "Bob Member", email: "bob@example.com", password: "bob-granite-lantern-17" };
export const CAROL: Person = { name: "Carol Colleague", email: "carol@example.com", password: "carol-meadow-cipher-88" };

export type Role = "owner" | "admin" | "member";
export type CardStatus = "not_connected" | "connected" | "refreshing" | "error" | "disconnected";

export async function openSignUp(page: Page): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "New here? Create an account" }).click();
}

/** Signs up through the form and waits to land on the organizations page. */
export async function signUp(page: Page, person: Person): Promise<void> {
  await openSignUp(page);
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/orgs");
}

/** Fills the sign-in form of the page it is on (after a redirect to /signin). */
export async function signIn(page: Page, person: Person): Promise<void> {
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Someone else's account, made in a browser of its own that is closed again. */
export async function createAccount(t: TestContext, person: Person): Promise<void> {
  const who = person.name.split(" ")[0]!.toLowerCase();
  const page = await t.newBrowser(who);
  await signUp(page, person);
  await t.shot(page, who);
  await page.context().close();
}

/** Creates an organization from /orgs; resolves with its slug once its members page shows. */
export async function createOrg(page: Page, name: string): Promise<string> {
  await page.getByRole("button", { name: "Create organization" }).click();
  const dialog = page.getByRole("dialog", { name: "Create organization" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create organization" }).click();
  // A new organization opens on its integrations, what it is for.
  await page.waitForURL(/\/o\/[^/]+\/settings\/integrations$/);
  const slug = /\/o\/([^/]+)\//.exec(new URL(page.url()).pathname)?.[1];
  check(slug, `no organization slug in ${page.url()}`);
  await page.getByRole("heading", { name: "Integrations" }).waitFor();
  // The flows that follow start from the members page.
  await page.goto(pathOf.members(slug));
  await memberRow(page, "").first().waitFor();
  return slug;
}

export function memberRow(page: Page, email: string): Locator {
  return page.getByTestId("member-row").filter({ hasText: email });
}

/** Adds an existing account with the add-member form and waits for its row. */
export async function addMember(page: Page, email: string, role: Role): Promise<void> {
  const form = page.getByRole("form", { name: "Add member" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Add member" }).click();
  await memberRow(page, email).waitFor();
}

/** Changes a member's role with their row's select and waits until the server's answer shows it. */
export async function changeRole(page: Page, email: string, role: Role): Promise<void> {
  const select = page.getByLabel(`Role of ${email}`);
  await select.selectOption(role);
  await eventually(
    async () => (await select.inputValue()) === role,
    async () => `the role of ${email} should read ${role}, reads ${await select.inputValue()}`,
  );
}

/** A person signed up, with an organization of their own, on its members page. */
export async function signUpWithOrg(t: TestContext, person: Person, label: string, orgName = "Acme Inc"): Promise<{ page: Page; slug: string }> {
  const page = await t.newBrowser(label);
  await signUp(page, person);
  const slug = await createOrg(page, orgName);
  return { page, slug };
}

export const pathOf = {
  members: (slug: string) => `/o/${slug}/settings/members`,
  integrations: (slug: string) => `/o/${slug}/settings/integrations`,
  activity: (slug: string) => `/o/${slug}/settings/activity`,
};

// ---------------------------------------------------------------------------
// Integrations

export function card(page: Page, providerId: string): Locator {
  return page.getByTestId(`integration-card-${providerId}`);
}

/** Waits until the provider's card shows `status` (its `data-status`). */
export async function expectCardStatus(page: Page, providerId: string, status: CardStatus, who: string): Promise<void> {
  const target = card(page, providerId);
  await eventually(
    async () => (await target.getAttribute("data-status", { timeout: 1_000 })) === status,
    async () =>
      `${who}'s ${providerId} card should be ${status}, it is ${await target.getAttribute("data-status", { timeout: 1_000 }).catch(() => "missing")}`,
  );
}

/** Opens the integrations page and waits for the cards (not the skeletons). */
export async function openIntegrations(page: Page, slug: string): Promise<void> {
  await page.goto(pathOf.integrations(slug));
  await card(page, "github").waitFor();
}

/**
 * Clicks Connect (or Reconnect) on an OAuth card and approves on the simulator's
 * consent page in the popup, which closes itself once the callback has told the app.
 */
export async function connectInPopup(t: TestContext, page: Page, providerId: string, button: "Connect" | "Reconnect"): Promise<void> {
  const popupOpened = page.waitForEvent("popup");
  await card(page, providerId).getByRole("button", { name: new RegExp(`^${button}\\b`) }).click();
  const popup = await popupOpened;
  await popup.getByRole("button", { name: "Approve" }).waitFor();
  check(/\(simulated\)/.test(await popup.title()), `the popup should be the simulator's consent page, its title is "${await popup.title()}"`);
  await t.shot(popup, `${button.toLowerCase()}-consent-popup`);
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Approve" }).click();
  await closed;
}

/** Ids the sandbox gave the first organization and a user, for admin runs. */
export async function sandboxIds(services: Services, email: string): Promise<{ orgId: string; userId: string }> {
  const response = await fetch(`${services.sandboxUrl}/_sandbox/export`);
  check(response.ok, `sandbox export answered ${response.status}`);
  const { tables } = (await response.json()) as { tables: Record<string, Array<Record<string, unknown>>> };
  const orgId = tables.organizations?.[0]?._id;
  const userId = tables.users?.find((user) => user.email === email)?._id;
  check(typeof orgId === "string" && typeof userId === "string", `no organization or no user ${email} in the sandbox`);
  return { orgId, userId };
}

/**
 * Runs any Convex function, internal ones included, through the sandbox's admin
 * endpoint; as the given identity (`subject` "<userId>|<sessionId>") when there is one.
 */
export async function sandboxRun(
  services: Services,
  name: string,
  args: Record<string, unknown>,
  identity?: { subject: string; issuer: string; tokenIdentifier: string },
): Promise<unknown> {
  const response = await fetch(`${services.sandboxUrl}/_sandbox/run`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, args, identity }),
  });
  const body = (await response.json()) as { status: string; value?: unknown; errorMessage?: string };
  check(response.ok && body.status === "success", `sandbox run of ${name} failed: ${body.errorMessage ?? response.status}`);
  return body.value;
}

/** The toast with this text (sonner renders them in a live region). */
export async function expectToast(page: Page, text: string | RegExp): Promise<void> {
  await expectText(page.locator("[data-sonner-toaster]"), text, "the toasts");
}
