/** Browser flows for accounts and organizations: sign up, organizations, members, read-only members, live updates. */
import {
  ALICE,
  BOB,
  CAROL,
  addMember,
  changeRole,
  createAccount,
  createOrg,
  memberRow,
  openSignUp,
  pathOf,
  sandboxIds,
  sandboxRun,
  signIn,
  signUp,
  signUpWithOrg,
} from "./app";
import { check, e2eTest, eventually, expectCount, expectNoReload, expectText, markNoReload } from "./harness";

export const signUpAndCreateOrg = e2eTest("sign up and create an organization", async (t) => {
  const page = await t.newBrowser("alice");

  await t.step("a signed-out visitor is sent to sign in", async () => {
    await page.goto("/orgs");
    await page.waitForURL("**/signin?next=%2Forgs");
    await page.getByText("Sign in to Switchboard").waitFor();
  });

  await t.step("sign-up refuses a weak password before sending it", async () => {
    await openSignUp(page);
    await page.getByLabel("Name").fill(ALICE.name);
    await page.getByLabel("Email").fill(ALICE.email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    // The field is marked invalid and described by the strength line, which says why.
    const password = page.getByLabel("Password");
    await eventually(async () => (await password.getAttribute("aria-invalid")) === "true", async () => "the password field is not marked invalid");
    const describedBy = (await password.getAttribute("aria-describedby")) ?? "";
    await expectText(page.locator(`[id="${describedBy.split(" ")[0]}"]`), /at least 8 characters/i, "the password's description");
    check(new URL(page.url()).pathname === "/signin", `sign-up with a weak password left /signin for ${page.url()}`);
  });

  await t.step("sign up", async () => {
    await signUp(page, ALICE);
    await page.getByText("You are not in any organization yet").waitFor();
  });

  const slug = await t.step("create an organization", async () => {
    const created = await createOrg(page, "Acme Inc");
    check(created === "acme-inc", `the slug should be acme-inc, it is ${created}`);
    await expectText(memberRow(page, ALICE.email), "owner", "Alice's row");
    await expectText(memberRow(page, ALICE.email), "(you)", "Alice's row");
    // The only owner is not offered Leave (the server would refuse), and is told why.
    await expectCount(page.getByRole("button", { name: "Leave organization" }), 0, "Leave buttons for the only owner");
    await page.getByText("You are the only owner").waitFor();
    await expectCount(page.getByRole("button", { name: "Show more" }), 0, "Show more buttons for one member");
    return created;
  });

  await t.step("the organization is listed with Alice's role", async () => {
    await page.goto("/orgs");
    const link = page.getByRole("link", { name: /Acme Inc/ });
    await expectText(link, "owner", "the organization link");
    // Same-named organizations are told apart by their slug.
    await expectText(link, slug, "the organization link");
    check((await link.getAttribute("href")) === pathOf.integrations(slug), `the link goes to ${await link.getAttribute("href")}`);
  });
});

export const membersAndRoles = e2eTest("members: add, change role, read-only member, live updates", async (t) => {
  await t.step("Bob and Carol create accounts", async () => {
    await createAccount(t, BOB);
    await createAccount(t, CAROL);
  });

  await t.step("a sign-in link whose next= resolves off the site lands on the organizations page", async () => {
    const carol = await t.newBrowser("carol");
    // "/..//evil.example" resolves to "//evil.example", another host.
    await carol.goto(`/signin?next=${encodeURIComponent("/..//evil.example")}`);
    await signIn(carol, CAROL);
    await carol.waitForURL("**/orgs");
    const landed = new URL(carol.url());
    check(landed.pathname === "/orgs", `Carol landed on ${carol.url()}`);
    await carol.context().close();
  });

  const { page: alice, slug } = await t.step("Alice signs up and creates an organization", () =>
    signUpWithOrg(t, ALICE, "alice"),
  );

  await t.step("Alice adds Carol as a member", async () => {
    await addMember(alice, CAROL.email, "member");
    await expectCount(alice.getByTestId("member-row"), 2, "member rows");
    check((await alice.getByLabel(`Role of ${CAROL.email}`).inputValue()) === "member", "Carol should be a member");
  });

  await t.step("Alice makes Carol an admin", async () => {
    await changeRole(alice, CAROL.email, "admin");
    await expectText(alice.locator("[data-sonner-toaster]"), `${CAROL.email} is now an admin.`, "the toasts");
  });

  await t.step("Alice adds Bob as a member", async () => {
    await addMember(alice, BOB.email, "member");
    await expectCount(alice.getByTestId("member-row"), 3, "member rows");
  });

  const bob = await t.newBrowser("bob");
  await t.step("Bob signs in from the members link and lands on it", async () => {
    await bob.goto(pathOf.members(slug));
    await bob.waitForURL(/\/signin\?next=/);
    await signIn(bob, BOB);
    await bob.waitForURL(`**${pathOf.members(slug)}`);
    await expectCount(bob.getByTestId("member-row"), 3, "member rows on Bob's page");
  });

  await t.step("Bob sees the members read-only", async () => {
    await bob.getByText("Only owners and admins manage members.").waitFor();
    await expectCount(bob.getByRole("form", { name: "Add member" }), 0, "add-member forms");
    await expectCount(bob.getByLabel(/^Role of /), 0, "role selects");
    await expectCount(bob.getByRole("button", { name: "Remove" }), 0, "Remove buttons");
    await expectText(memberRow(bob, CAROL.email), "admin", "Carol's row on Bob's page");
    // He may leave (the button is above the list, so no page of members hides it), and nothing else.
    await expectCount(bob.getByRole("button", { name: "Leave organization" }), 1, "Leave buttons");
    await expectCount(bob.getByRole("button", { name: "Show more" }), 0, "Show more buttons for three members");
  });

  await t.step("Alice's role change reaches Bob's open page without a reload", async () => {
    await markNoReload(bob);
    await changeRole(alice, CAROL.email, "member");
    await bob.getByTestId("member-row").filter({ hasText: CAROL.email }).getByLabel("Role: member").waitFor();
    await expectNoReload(bob, "Bob");
  });

  await t.step("Alice removes Carol and her row leaves Bob's page without a reload", async () => {
    await memberRow(alice, CAROL.email).getByRole("button", { name: "Remove" }).click();
    // The app's own dialog asks first, and names who.
    const confirmDialog = alice.getByRole("dialog", { name: `Remove ${CAROL.email}?` });
    await confirmDialog.getByRole("button", { name: "Remove" }).click();
    await confirmDialog.waitFor({ state: "hidden" });
    await expectCount(memberRow(bob, CAROL.email), 0, "rows for Carol on Bob's page");
    await expectCount(bob.getByTestId("member-row"), 2, "member rows on Bob's page");
    await expectNoReload(bob, "Bob");
  });

  await t.step("Alice removes Bob while his page is open: it tells him he no longer has access", async () => {
    await memberRow(alice, BOB.email).getByRole("button", { name: "Remove" }).click();
    const confirmDialog = alice.getByRole("dialog", { name: `Remove ${BOB.email}?` });
    await confirmDialog.getByRole("button", { name: "Remove" }).click();
    await confirmDialog.waitFor({ state: "hidden" });
    await bob.getByRole("heading", { level: 1, name: "You no longer have access to Acme Inc" }).waitFor();
    await expectCount(bob.locator("header [data-slot='skeleton']"), 0, "skeletons left in Bob's header");
    await t.shot(bob, "access-lost");
  });
});

export const signOutFromTwoPages = e2eTest("sign out from the integrations page and from the organizations page", async (t) => {
  const { page, slug } = await signUpWithOrg(t, ALICE, "alice");
  // A query that ran without a session throws in the page (and shows an error page in development).
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  const signOut = async () => {
    await page.getByRole("button", { name: "Account" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL("**/signin");
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await page.waitForTimeout(500);
    check(pageErrors.length === 0, `no errors in the page while signing out, got: ${pageErrors.join(" | ")}`);
  };
  await t.step("from an organization's integrations page", async () => {
    await page.goto(pathOf.integrations(slug));
    await page.getByRole("heading", { name: "Integrations" }).waitFor();
    await signOut();
  });
  await t.step("from the organizations page, after signing in again", async () => {
    await signIn(page, ALICE);
    await page.waitForURL("**/orgs");
    await page.getByText("Acme Inc").first().waitFor();
    await signOut();
  });
});

/** Accounts beyond the first page of the members list (50). */
const MANY_MEMBERS = 60;

export const manyMembers = e2eTest("members: a list longer than a page shows more on request", async (t) => {
  const { page: alice } = await t.step("Alice signs up and creates an organization", () => signUpWithOrg(t, ALICE, "alice"));

  await t.step(`${MANY_MEMBERS} more accounts join, added by Alice through the same rules`, async () => {
    const { orgId, userId } = await sandboxIds(t.services, ALICE.email);
    const asAlice = { subject: `${userId}|e2e`, issuer: "e2e", tokenIdentifier: `e2e|${userId}` };
    for (let i = 0; i < MANY_MEMBERS; i++) {
      const email = `colleague-${String(i).padStart(2, "0")}@example.com`;
      // Convex Auth's own account creation, minus the password (hashing 60 would take most of a minute).
      await sandboxRun(t.services, "auth:store", {
        args: { type: "createAccountFromCredentials", provider: "password", account: { id: email }, profile: { email } },
      });
      await sandboxRun(t.services, "orgs/members:add", { orgId, email, role: "member" }, asAlice);
    }
  });

  await t.step("the page shows one page of members and a Show more button", async () => {
    await alice.reload();
    await expectCount(alice.getByTestId("member-row"), 50, "member rows on the first page");
    await expectText(memberRow(alice, ALICE.email), "(you)", "Alice's row, owners first");
  });

  await t.step("Show more loads the rest, and the button goes once everyone is shown", async () => {
    await markNoReload(alice);
    await alice.getByRole("button", { name: "Show more" }).click();
    await expectCount(alice.getByTestId("member-row"), MANY_MEMBERS + 1, "member rows after Show more");
    await expectCount(alice.getByRole("button", { name: "Show more" }), 0, "Show more buttons once all are loaded");
    await expectNoReload(alice, "Alice");
  });

  await t.step("a member added while two pages are loaded shows up without a reload", async () => {
    await createAccount(t, BOB);
    await addMember(alice, BOB.email, "member");
    await expectCount(alice.getByTestId("member-row"), MANY_MEMBERS + 2, "member rows after adding Bob");
    await expectNoReload(alice, "Alice");
  });
});

/** A phone's viewport (iPhone 12–15 portrait). */
const PHONE = { width: 390, height: 844 };

export const phoneWidth = e2eTest("on a 390 px phone no page scrolls sideways", async (t) => {
  const { page, slug } = await signUpWithOrg(t, ALICE, "alice");
  const state = await page.context().storageState();
  const phone = await t.newBrowser("phone", { storageState: state, viewport: PHONE });
  const pages = [
    ["/orgs", "Acme Inc"],
    [pathOf.integrations(slug), "Integrations"],
    [`${pathOf.integrations(slug)}/github`, "GitHub"],
    [pathOf.members(slug), "Members"],
    [pathOf.activity(slug), "Activity"],
    [`/o/${slug}/settings/workflows`, "Workflows"],
    [`/o/${slug}/settings/workflows/new`, "New workflow"],
    [`/o/${slug}/settings/general`, "Organization settings"],
  ] as const;
  for (const [path, text] of pages) {
    await t.step(`${path} fits the screen`, async () => {
      await phone.goto(path);
      await phone.getByText(text).first().waitFor();
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      check(scrollWidth <= clientWidth, `${path} is ${scrollWidth} px wide on a ${clientWidth} px screen`);
      if (path === pathOf.integrations(slug)) await t.docScreenshot(phone, "phone");
    });
  }
});
