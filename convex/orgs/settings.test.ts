import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { createOrg, createUser, errorOf, setupBackend, type Backend } from "../test.helpers";

async function acme() {
  const t = await setupBackend();
  const owner = await createUser(t, "owner@example.com");
  const admin = await createUser(t, "admin@example.com");
  const member = await createUser(t, "member@example.com");
  const orgId = await createOrg(t, "Acme", [
    { user: owner, role: "owner" },
    { user: admin, role: "admin" },
    { user: member, role: "member" },
  ]);
  return { t, owner, admin, member, orgId };
}

const orgRow = (t: Backend, orgId: Id<"organizations">) => t.run(async (ctx) => (await ctx.db.get(orgId))!);
const auditOf = (t: Backend, action: string) =>
  t.run(async (ctx) => (await ctx.db.query("auditEvents").collect()).filter((e) => e.action === action));

describe("orgs.settings.rename", () => {
  test("an owner renames the organization (trimmed), the slug stays, and it is audited with from and to", async () => {
    const { t, owner, member, orgId } = await acme();
    expect(await owner.as.mutation(api.orgs.settings.rename, { orgId, name: "  Acme Labs " })).toEqual({ name: "Acme Labs" });
    expect(await member.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toMatchObject({
      name: "Acme Labs",
      slug: "acme",
    });
    expect(await auditOf(t, "org.renamed")).toEqual([
      expect.objectContaining({ actor: { kind: "user", id: owner.userId }, details: { from: "Acme", to: "Acme Labs" } }),
    ]);
  });

  test("the same name again changes nothing and records nothing", async () => {
    const { t, owner, orgId } = await acme();
    expect(await owner.as.mutation(api.orgs.settings.rename, { orgId, name: "Acme " })).toEqual({ name: "Acme" });
    expect(await auditOf(t, "org.renamed")).toEqual([]);
  });

  test.each([
    ["", "Give the organization a name."],
    ["   ", "Give the organization a name."],
    ["x".repeat(81), "Use at most 80 characters (this is 81)."],
  ])("the name %j is INVALID_INPUT on the name field, saying why", async (name, message) => {
    const { t, owner, orgId } = await acme();
    expect(await errorOf(owner.as.mutation(api.orgs.settings.rename, { orgId, name }))).toEqual({
      code: "INVALID_INPUT",
      message,
      field: "name",
    });
    expect((await orgRow(t, orgId)).name).toBe("Acme");
  });

  test("admins and members may not rename", async () => {
    const { t, admin, member, orgId } = await acme();
    for (const who of [admin, member]) {
      expect(await errorOf(who.as.mutation(api.orgs.settings.rename, { orgId, name: "Mine" }))).toEqual({
        code: "FORBIDDEN",
        message: "Only owners can do this.",
      });
    }
    expect((await orgRow(t, orgId)).name).toBe("Acme");
  });
});

describe("orgs.settings.changeSlug", () => {
  test("an owner moves the organization; the old slug still leads to it and answers with the new one", async () => {
    const { t, owner, member, orgId } = await acme();
    expect(await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: " Acme-Labs " })).toEqual({ slug: "acme-labs" });
    const viaOld = await member.as.query(api.orgs.organizations.getBySlug, { slug: "acme" });
    expect(viaOld).toMatchObject({ orgId, slug: "acme-labs", role: "member", deleted: false });
    expect(await member.as.query(api.orgs.organizations.getBySlug, { slug: "acme-labs" })).toEqual(viaOld);
    expect(await auditOf(t, "org.slug_changed")).toEqual([
      expect.objectContaining({ details: { from: "acme", to: "acme-labs" } }),
    ]);
  });

  test("every earlier slug keeps leading to the organization, and moving back drops the redirect", async () => {
    const { t, owner, orgId } = await acme();
    await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "acme-2024" });
    await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "acme-labs" });
    for (const slug of ["acme", "acme-2024"]) {
      expect(await owner.as.query(api.orgs.organizations.getBySlug, { slug })).toMatchObject({ slug: "acme-labs" });
    }
    await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "acme" });
    const previous = await t.run((ctx) => ctx.db.query("previousSlugs").collect());
    expect(previous.map((row) => row.slug).sort()).toEqual(["acme-2024", "acme-labs"]);
  });

  test("the old link says nothing to someone who is not a member", async () => {
    const { t, owner, orgId } = await acme();
    const stranger = await createUser(t, "stranger@example.com");
    await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "acme-labs" });
    expect(await stranger.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toBeNull();
  });

  test("a slug another organization has now is CONFLICT", async () => {
    const { t, owner, orgId } = await acme();
    await createOrg(t, "Globex", [{ user: owner, role: "owner" }]);
    expect(await errorOf(owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "globex" }))).toEqual({
      code: "CONFLICT",
      message: "The address /o/globex is taken. Choose another.",
      field: "slug",
    });
    expect((await orgRow(t, orgId)).slug).toBe("acme");
  });

  test("an old slug another organization takes belongs to it: the old link leads there, not back", async () => {
    const { t, owner, orgId } = await acme();
    const bob = await createUser(t, "bob@example.com");
    const globexId = await createOrg(t, "Globex", [{ user: bob, role: "owner" }]);
    await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "acme-labs" });
    await bob.as.mutation(api.orgs.settings.changeSlug, { orgId: globexId, slug: "acme" });
    expect(await bob.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toMatchObject({ orgId: globexId });
    // Acme's owner is not in Globex: the slug no longer leads them anywhere.
    expect(await owner.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toBeNull();
    // If Globex moves on, "acme" redirects to Globex, not to the organization that had it first.
    await bob.as.mutation(api.orgs.settings.changeSlug, { orgId: globexId, slug: "globex-2" });
    expect(await bob.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toMatchObject({ slug: "globex-2" });
    expect(await owner.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toBeNull();
  });

  test("a new organization whose generated slug was someone's old one takes it too", async () => {
    const { t, owner, orgId } = await acme();
    const bob = await createUser(t, "bob@example.com");
    await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "acme-labs" });
    const created = await bob.as.mutation(api.orgs.organizations.create, { name: "Acme" });
    expect(created.slug).toBe("acme");
    expect(await t.run((ctx) => ctx.db.query("previousSlugs").collect())).toEqual([]);
    expect(await owner.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toBeNull();
  });

  test("the same slug again changes nothing", async () => {
    const { t, owner, orgId } = await acme();
    expect(await owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "ACME" })).toEqual({ slug: "acme" });
    expect(await t.run((ctx) => ctx.db.query("previousSlugs").collect())).toEqual([]);
    expect(await auditOf(t, "org.slug_changed")).toEqual([]);
  });

  test.each([
    ["a", "Use 2 to 40 characters."],
    ["acme labs", "Use only letters a–z, digits and dashes."],
    ["-acme", "Start and end with a letter or digit, with single dashes between."],
  ])("the slug %j is INVALID_INPUT on the slug field", async (slug, message) => {
    const { owner, orgId } = await acme();
    expect(await errorOf(owner.as.mutation(api.orgs.settings.changeSlug, { orgId, slug }))).toEqual({
      code: "INVALID_INPUT",
      message,
      field: "slug",
    });
  });

  test("admins and members may not change the slug", async () => {
    const { t, admin, member, orgId } = await acme();
    for (const who of [admin, member]) {
      expect((await errorOf(who.as.mutation(api.orgs.settings.changeSlug, { orgId, slug: "mine" }))).code).toBe("FORBIDDEN");
    }
    expect((await orgRow(t, orgId)).slug).toBe("acme");
  });
});
