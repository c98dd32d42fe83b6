import type { FunctionReturnType } from "convex/server";
import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { MEMBERS_PAGE_MAX } from "./members";
import type { Id } from "../_generated/dataModel";
import { createOrg, createUser, errorOf, setupBackend, type Backend, type TestUser } from "../test.helpers";

async function team(t: Backend) {
  const owner = await createUser(t, "owner@example.com");
  const admin = await createUser(t, "admin@example.com");
  const member = await createUser(t, "member@example.com");
  const outsider = await createUser(t, "outsider@example.com");
  const orgId = await createOrg(t, "Acme", [
    { user: owner, role: "owner" },
    { user: admin, role: "admin" },
    { user: member, role: "member" },
  ]);
  return { owner, admin, member, outsider, orgId };
}

async function membershipOf(t: Backend, orgId: Id<"organizations">, user: TestUser) {
  const membership = await t.run((ctx) =>
    ctx.db
      .query("memberships")
      .withIndex("by_orgId_and_userId", (q) => q.eq("orgId", orgId).eq("userId", user.userId))
      .unique(),
  );
  return { membership };
}

type MembersPage = FunctionReturnType<typeof api.orgs.members.list>;

/** The whole list, read page by page the way the members page's "Show more" does. */
async function allPages(as: TestUser["as"], orgId: Id<"organizations">, numItems: number) {
  const pages: Array<MembersPage["page"]> = [];
  let cursor: string | null = null;
  for (;;) {
    const result: MembersPage = await as.query(api.orgs.members.list, { orgId, paginationOpts: { numItems, cursor } });
    pages.push(result.page);
    if (result.isDone) return pages;
    cursor = result.continueCursor;
  }
}

/** `count` more accounts in the org, inserted directly: `member-0007@example.com`, … */
async function addMembers(t: Backend, orgId: Id<"organizations">, count: number, role: "owner" | "admin" | "member") {
  await t.run(async (ctx) => {
    for (let i = 0; i < count; i++) {
      const userId = await ctx.db.insert("users", { email: `${role}-${String(i).padStart(4, "0")}@example.com` });
      await ctx.db.insert("memberships", { orgId, userId, role });
    }
  });
}

const firstPage = { numItems: 50, cursor: null };

describe("orgs.members.list", () => {
  test("members see everyone, owners first, with their own row marked", async () => {
    const t = await setupBackend();
    const { member, orgId } = await team(t);
    const result = await member.as.query(api.orgs.members.list, { orgId, paginationOpts: firstPage });
    expect(result.isDone).toBe(true);
    expect(result.page.map((r) => [r.email, r.role, r.isViewer])).toEqual([
      ["owner@example.com", "owner", false],
      ["member@example.com", "member", true],
      ["admin@example.com", "admin", false],
    ]);
  });

  test("250 members in pages of 100: every member exactly once, with email and name, in role order", async () => {
    const t = await setupBackend();
    const { member, orgId } = await team(t);
    await t.run(async (ctx) => {
      const named = await ctx.db.insert("users", { email: "named@example.com", name: "Named Person" });
      await ctx.db.insert("memberships", { orgId, userId: named, role: "admin" });
    });
    await addMembers(t, orgId, 246, "member");
    const pages = await allPages(member.as, orgId, 100);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const rows = pages.flat();
    expect(new Set(rows.map((r) => r.membershipId)).size).toBe(250);
    expect(new Set(rows.map((r) => r.email)).size).toBe(250);
    expect(rows.filter((r) => r.isViewer).map((r) => r.email)).toEqual(["member@example.com"]);
    expect(rows.find((r) => r.email === "named@example.com")).toMatchObject({ name: "Named Person", role: "admin" });
    const roles = rows.map((r) => r.role);
    expect(roles).toEqual([...roles].sort((a, b) => ["owner", "member", "admin"].indexOf(a) - ["owner", "member", "admin"].indexOf(b)));
  });

  test("a client cannot ask for more than one bounded page at once", async () => {
    const t = await setupBackend();
    const { member, orgId } = await team(t);
    await addMembers(t, orgId, 300, "member");
    const result = await member.as.query(api.orgs.members.list, { orgId, paginationOpts: { numItems: 10_000, cursor: null } });
    expect(result.page).toHaveLength(MEMBERS_PAGE_MAX);
    expect(result.isDone).toBe(false);
  });

  test("an outsider is FORBIDDEN", async () => {
    const t = await setupBackend();
    const { outsider, orgId } = await team(t);
    expect((await errorOf(outsider.as.query(api.orgs.members.list, { orgId, paginationOpts: firstPage }))).code).toBe(
      "FORBIDDEN",
    );
  });
});

describe("orgs.members.canLeave", () => {
  test("members and admins may leave; the only owner may not, until there is another", async () => {
    const t = await setupBackend();
    const { owner, admin, member, orgId } = await team(t);
    expect(await member.as.query(api.orgs.members.canLeave, { orgId })).toBe(true);
    expect(await admin.as.query(api.orgs.members.canLeave, { orgId })).toBe(true);
    expect(await owner.as.query(api.orgs.members.canLeave, { orgId })).toBe(false);
    const adminRow = (await membershipOf(t, orgId, admin)).membership!;
    await owner.as.mutation(api.orgs.members.changeRole, { orgId, membershipId: adminRow._id, role: "owner" });
    expect(await owner.as.query(api.orgs.members.canLeave, { orgId })).toBe(true);
    expect(await admin.as.query(api.orgs.members.canLeave, { orgId })).toBe(true);
  });

  test("the only owner among thousands of members still may not leave, nor be demoted or removed", async () => {
    const t = await setupBackend();
    const { owner, orgId } = await team(t);
    await addMembers(t, orgId, 2000, "member");
    await addMembers(t, orgId, 2000, "admin");
    const ownerRow = (await membershipOf(t, orgId, owner)).membership!;
    expect(await owner.as.query(api.orgs.members.canLeave, { orgId })).toBe(false);
    expect((await errorOf(owner.as.mutation(api.orgs.members.leave, { orgId }))).code).toBe("LAST_OWNER");
    expect(
      (await errorOf(owner.as.mutation(api.orgs.members.changeRole, { orgId, membershipId: ownerRow._id, role: "admin" })))
        .code,
    ).toBe("LAST_OWNER");
    expect((await errorOf(owner.as.mutation(api.orgs.members.remove, { orgId, membershipId: ownerRow._id }))).code).toBe(
      "LAST_OWNER",
    );
  });

  test("with many owners among many members, an owner may leave and the others stay owners", async () => {
    const t = await setupBackend();
    const { owner, orgId } = await team(t);
    await addMembers(t, orgId, 2000, "member");
    await addMembers(t, orgId, 150, "owner");
    expect(await owner.as.query(api.orgs.members.canLeave, { orgId })).toBe(true);
    await owner.as.mutation(api.orgs.members.leave, { orgId });
    const owners = await t.run((ctx) =>
      ctx.db
        .query("memberships")
        .withIndex("by_orgId_and_role", (q) => q.eq("orgId", orgId).eq("role", "owner"))
        .collect(),
    );
    expect(owners).toHaveLength(150);
  });
});

describe("orgs.members.add", () => {
  test("an admin adds an existing account by email, case-insensitively, and it is audited", async () => {
    const t = await setupBackend();
    const { admin, outsider, orgId } = await team(t);
    await admin.as.mutation(api.orgs.members.add, { orgId, email: " OUTSIDER@example.com", role: "member" });
    const { membership } = await membershipOf(t, orgId, outsider);
    expect(membership?.role).toBe("member");
    const audit = await t.run((ctx) => ctx.db.query("auditEvents").collect());
    expect(audit).toContainEqual(expect.objectContaining({ action: "member.added", subject: "outsider@example.com" }));
  });

  test("an unknown email is USER_NOT_FOUND, a member twice is ALREADY_MEMBER, a bad email is INVALID_INPUT", async () => {
    const t = await setupBackend();
    const { admin, orgId } = await team(t);
    const add = (email: string) => admin.as.mutation(api.orgs.members.add, { orgId, email, role: "member" });
    expect((await errorOf(add("ghost@example.com"))).code).toBe("USER_NOT_FOUND");
    expect((await errorOf(add("member@example.com"))).code).toBe("ALREADY_MEMBER");
    expect((await errorOf(add("not an email"))).code).toBe("INVALID_INPUT");
  });

  test("a member cannot add anyone; an admin cannot add an owner; an owner can", async () => {
    const t = await setupBackend();
    const { owner, admin, member, outsider, orgId } = await team(t);
    const args = { orgId, email: outsider.email };
    expect((await errorOf(member.as.mutation(api.orgs.members.add, { ...args, role: "member" }))).code).toBe("FORBIDDEN");
    expect((await errorOf(admin.as.mutation(api.orgs.members.add, { ...args, role: "owner" }))).code).toBe("FORBIDDEN");
    await owner.as.mutation(api.orgs.members.add, { ...args, role: "owner" });
    expect((await membershipOf(t, orgId, outsider)).membership?.role).toBe("owner");
  });
});

describe("orgs.members.changeRole", () => {
  test("an admin promotes a member to admin", async () => {
    const t = await setupBackend();
    const { admin, member, orgId } = await team(t);
    const target = (await membershipOf(t, orgId, member)).membership!;
    await admin.as.mutation(api.orgs.members.changeRole, { orgId, membershipId: target._id, role: "admin" });
    expect((await membershipOf(t, orgId, member)).membership?.role).toBe("admin");
  });

  test("only owners make owners or change an owner's role", async () => {
    const t = await setupBackend();
    const { owner, admin, member, orgId } = await team(t);
    const memberRow = (await membershipOf(t, orgId, member)).membership!;
    const ownerRow = (await membershipOf(t, orgId, owner)).membership!;
    const change = (as: TestUser, membershipId: Id<"memberships">, role: "owner" | "admin" | "member") =>
      as.as.mutation(api.orgs.members.changeRole, { orgId, membershipId, role });
    expect((await errorOf(change(admin, memberRow._id, "owner"))).code).toBe("FORBIDDEN");
    expect((await errorOf(change(admin, ownerRow._id, "member"))).code).toBe("FORBIDDEN");
    expect((await errorOf(change(member, memberRow._id, "admin"))).code).toBe("FORBIDDEN");
    await change(owner, memberRow._id, "owner");
    expect((await membershipOf(t, orgId, member)).membership?.role).toBe("owner");
  });

  test("the last owner cannot be demoted, but can be once there is another owner", async () => {
    const t = await setupBackend();
    const { owner, admin, orgId } = await team(t);
    const ownerRow = (await membershipOf(t, orgId, owner)).membership!;
    const adminRow = (await membershipOf(t, orgId, admin)).membership!;
    const demote = () =>
      owner.as.mutation(api.orgs.members.changeRole, { orgId, membershipId: ownerRow._id, role: "admin" });
    expect(await errorOf(demote())).toMatchObject({ code: "LAST_OWNER" });
    await owner.as.mutation(api.orgs.members.changeRole, { orgId, membershipId: adminRow._id, role: "owner" });
    await demote();
    expect((await membershipOf(t, orgId, owner)).membership?.role).toBe("admin");
  });

  test("a membership of another org is NOT_FOUND", async () => {
    const t = await setupBackend();
    const { admin, orgId, outsider } = await team(t);
    const otherOrg = await createOrg(t, "Other", [{ user: outsider, role: "owner" }]);
    const foreign = (await membershipOf(t, otherOrg, outsider)).membership!;
    const error = await errorOf(
      admin.as.mutation(api.orgs.members.changeRole, { orgId, membershipId: foreign._id, role: "member" }),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect((await membershipOf(t, otherOrg, outsider)).membership?.role).toBe("owner");
  });
});

describe("orgs.members.remove and leave", () => {
  test("an admin removes a member; an admin cannot remove an owner", async () => {
    const t = await setupBackend();
    const { owner, admin, member, orgId } = await team(t);
    const memberRow = (await membershipOf(t, orgId, member)).membership!;
    const ownerRow = (await membershipOf(t, orgId, owner)).membership!;
    await admin.as.mutation(api.orgs.members.remove, { orgId, membershipId: memberRow._id });
    expect((await membershipOf(t, orgId, member)).membership).toBeNull();
    expect((await errorOf(member.as.query(api.orgs.members.list, { orgId, paginationOpts: firstPage }))).code).toBe(
      "FORBIDDEN",
    );
    const error = await errorOf(admin.as.mutation(api.orgs.members.remove, { orgId, membershipId: ownerRow._id }));
    expect(error.code).toBe("FORBIDDEN");
  });

  test("the last owner can be neither removed nor leave", async () => {
    const t = await setupBackend();
    const { owner, orgId } = await team(t);
    const ownerRow = (await membershipOf(t, orgId, owner)).membership!;
    expect((await errorOf(owner.as.mutation(api.orgs.members.remove, { orgId, membershipId: ownerRow._id }))).code).toBe(
      "LAST_OWNER",
    );
    expect((await errorOf(owner.as.mutation(api.orgs.members.leave, { orgId }))).code).toBe("LAST_OWNER");
    expect((await membershipOf(t, orgId, owner)).membership?.role).toBe("owner");
  });

  test("a member leaves and loses access", async () => {
    const t = await setupBackend();
    const { member, orgId } = await team(t);
    await member.as.mutation(api.orgs.members.leave, { orgId });
    expect(await member.as.query(api.orgs.organizations.listMine, {})).toEqual([]);
  });

  test("a member cannot remove anyone", async () => {
    const t = await setupBackend();
    const { admin, member, orgId } = await team(t);
    const adminRow = (await membershipOf(t, orgId, admin)).membership!;
    const error = await errorOf(member.as.mutation(api.orgs.members.remove, { orgId, membershipId: adminRow._id }));
    expect(error.code).toBe("FORBIDDEN");
    expect((await membershipOf(t, orgId, admin)).membership?.role).toBe("admin");
  });
});
