import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { createOrg, createUser, errorOf, setupBackend } from "../test.helpers";

describe("orgs.organizations.create", () => {
  test("the creator becomes the owner and gets a URL-safe slug", async () => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    const { slug } = await ada.as.mutation(api.orgs.organizations.create, { name: "  Café Ünïcorn, Inc. " });
    expect(slug).toBe("cafe-unicorn-inc");
    expect(await ada.as.query(api.orgs.organizations.listMine, {})).toEqual([
      expect.objectContaining({ name: "Café Ünïcorn, Inc.", slug, role: "owner" }),
    ]);
  });

  test("a taken slug gets a numbered suffix", async () => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    const bob = await createUser(t, "bob@example.com");
    const first = await ada.as.mutation(api.orgs.organizations.create, { name: "Acme" });
    const second = await bob.as.mutation(api.orgs.organizations.create, { name: "ACME" });
    const third = await bob.as.mutation(api.orgs.organizations.create, { name: "acme!" });
    expect([first.slug, second.slug, third.slug]).toEqual(["acme", "acme-2", "acme-3"]);
  });

  test.each(["", "   ", "x".repeat(81)])("the name %j is INVALID_INPUT and creates nothing", async (name) => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    expect((await errorOf(ada.as.mutation(api.orgs.organizations.create, { name }))).code).toBe("INVALID_INPUT");
    expect(await t.run((ctx) => ctx.db.query("organizations").collect())).toHaveLength(0);
  });

  test("a name the creator already has is DUPLICATE_NAME until they confirm it", async () => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    await ada.as.mutation(api.orgs.organizations.create, { name: "Acme" });
    expect(await errorOf(ada.as.mutation(api.orgs.organizations.create, { name: " ACME " }))).toEqual({
      code: "DUPLICATE_NAME",
      message: "You already have an organization named Acme (/o/acme).",
      field: "name",
    });
    expect(await ada.as.query(api.orgs.organizations.listMine, {})).toHaveLength(1);
    const second = await ada.as.mutation(api.orgs.organizations.create, { name: "ACME", confirmDuplicateName: true });
    expect(second.slug).toBe("acme-2");
    // Same-named organizations are listed in a stable order the switcher tells apart by slug.
    expect((await ada.as.query(api.orgs.organizations.listMine, {})).map((o) => [o.name, o.slug])).toEqual([
      ["Acme", "acme"],
      ["ACME", "acme-2"],
    ]);
  });

  test("someone else's organization of the same name needs no confirmation", async () => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    const bob = await createUser(t, "bob@example.com");
    await ada.as.mutation(api.orgs.organizations.create, { name: "Acme" });
    expect((await bob.as.mutation(api.orgs.organizations.create, { name: "Acme" })).slug).toBe("acme-2");
  });

  test("anonymous callers are UNAUTHENTICATED", async () => {
    const t = await setupBackend();
    expect((await errorOf(t.mutation(api.orgs.organizations.create, { name: "Acme" }))).code).toBe(
      "UNAUTHENTICATED",
    );
  });
});

describe("orgs.organizations.listMine and getBySlug", () => {
  test("list only the viewer's organizations, sorted by name", async () => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    const bob = await createUser(t, "bob@example.com");
    await createOrg(t, "Zeta", [{ user: ada, role: "member" }]);
    await createOrg(t, "Alpha", [{ user: ada, role: "admin" }]);
    await createOrg(t, "Bob's", [{ user: bob, role: "owner" }]);
    const mine = await ada.as.query(api.orgs.organizations.listMine, {});
    expect(mine.map((o) => [o.name, o.role])).toEqual([
      ["Alpha", "admin"],
      ["Zeta", "member"],
    ]);
  });

  test("getBySlug answers null for another tenant's slug and for unknown slugs", async () => {
    const t = await setupBackend();
    const ada = await createUser(t, "ada@example.com");
    const bob = await createUser(t, "bob@example.com");
    await createOrg(t, "Acme", [{ user: ada, role: "owner" }]);
    expect(await ada.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toMatchObject({
      name: "Acme",
      role: "owner",
    });
    expect(await bob.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toBeNull();
    expect(await ada.as.query(api.orgs.organizations.getBySlug, { slug: "nope" })).toBeNull();
  });
});
