/**
 * Deleting an organization: owners only, after typing its name; every connection is
 * revoked at its provider (the simulator must have seen it), a revocation that fails
 * for now waits in the retry machinery, and the data goes in bounded batches until
 * nothing with the organization's id is left but those pending revocations.
 */
import { describe, expect, inject, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id, TableNames } from "../_generated/dataModel";
import { worldPerTest, type World } from "../calls/test.world";
import schema from "../schema";
import { approve, connectOAuth, createOrg, createUser, errorOf } from "../test.helpers";
import { DELETION_BATCH_SIZE, ORG_DATA } from "./deletion";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

/** Every table of the schema whose rows carry an `orgId`. */
function tablesWithOrgId(): string[] {
  return Object.entries(schema.tables)
    .filter(([, table]) => "orgId" in ((table.validator as { fields?: object }).fields ?? {}))
    .map(([name]) => name)
    .sort();
}

/** How many rows of each org-owned table still carry `orgId` (a full scan: tests only). */
async function rowsOf(w: World, orgId: Id<"organizations">) {
  return await w.t.run(async (ctx) => {
    const counts: Record<string, number> = {};
    for (const table of tablesWithOrgId()) {
      const rows = await ctx.db.query(table as TableNames).collect();
      const count = rows.filter((row) => (row as { orgId?: string }).orgId === orgId).length;
      if (count > 0) counts[table] = count;
    }
    return counts;
  });
}

/** Runs the sweep to its end by hand (the scheduler's chain may be racing it; both are safe). */
async function sweepToTheEnd(w: World) {
  for (let round = 0; round < 100; round++) {
    if ((await w.t.mutation(internal.orgs.deletion.sweep, { orgId: w.orgId })) === "done") return round;
  }
  throw new Error("the sweep never ended");
}

const remove = (w: World, confirmName = "Acme") => w.admin.as.action(api.orgs.deletion.remove, { orgId: w.orgId, confirmName });
const revokedAt = async (w: World, providerId: string) =>
  ((await w.simulator.revocations({ providerId })) as unknown[]).length;

describe("every table with an orgId", () => {
  test("is deleted or kept on purpose when its organization is deleted", () => {
    // A new table with an orgId must get an entry in ORG_DATA (convex/orgs/deletion.ts).
    expect(Object.keys(ORG_DATA).sort()).toEqual(tablesWithOrgId());
    expect(tablesWithOrgId()).toContain("connections");
    const kept = Object.entries(ORG_DATA).filter(([, plan]) => "kept" in plan).map(([table]) => table);
    expect(kept).toEqual(["pendingRevocations"]);
  });
});

describe("orgs.deletion.remove", () => {
  test("revokes every connection at its provider, then deletes all of the organization's data", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.connect("linear");
    const other = await createOrg(w.t, "Other", [{ user: w.member, role: "owner" }]);
    await connectOAuth(w.member, other, "github");
    await w.admin.as.mutation(api.orgs.settings.changeSlug, { orgId: w.orgId, slug: "acme-labs" });
    const before = { github: await revokedAt(w, "github"), linear: await revokedAt(w, "linear") };
    expect(Object.keys(await rowsOf(w, w.orgId))).toEqual(
      expect.arrayContaining(["memberships", "connections", "callLogs", "auditEvents", "consents", "previousSlugs"]),
    );

    expect(await remove(w)).toEqual({ connections: 2, revocationsPending: 0 });
    expect(await revokedAt(w, "github")).toBe(before.github + 1);
    expect(await revokedAt(w, "linear")).toBe(before.linear + 1);
    await sweepToTheEnd(w);

    expect(await rowsOf(w, w.orgId)).toEqual({});
    expect(await w.t.run((ctx) => ctx.db.get(w.orgId))).toBeNull();
    // The other organization and its connection are untouched.
    expect(await rowsOf(w, other)).toMatchObject({ memberships: 1, connections: 1 });
    // Its slugs are free again.
    const bob = await createUser(w.t, "bob@example.com");
    expect((await bob.as.mutation(api.orgs.organizations.create, { name: "Acme Labs" })).slug).toBe("acme-labs");
    expect(await w.admin.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toBeNull();
  });

  test("a revocation that fails for now waits, encrypted, in the retries; it leaves nothing behind when it succeeds", async () => {
    const w = await setup(simulatorUrl, "github");
    const grant = (await w.connection()).secrets;
    await w.simulator.failNext("github", "revoke", { kind: "status", status: 503 });
    expect(await remove(w)).toEqual({ connections: 1, revocationsPending: 1 });
    await sweepToTheEnd(w);

    expect(await rowsOf(w, w.orgId)).toEqual({ pendingRevocations: 1 });
    const [pending] = await w.t.run((ctx) => ctx.db.query("pendingRevocations").collect());
    expect(pending!.secrets).toEqual(grant);
    const revokedBefore = await revokedAt(w, "github");
    expect(await w.t.action(internal.connections.revocations.retry, { revocationId: pending!._id })).toBe("revoked");
    expect(await revokedAt(w, "github")).toBe(revokedBefore + 1);
    // No audit event, call log or counter was written for the organization that is gone.
    expect(await rowsOf(w, w.orgId)).toEqual({});
  });

  test("a wrong name is INVALID_INPUT and changes nothing", async () => {
    const w = await setup(simulatorUrl, "github");
    for (const confirmName of ["acme", "Acme Inc", ""]) {
      expect(await errorOf(remove(w, confirmName))).toEqual({
        code: "INVALID_INPUT",
        message: "Type the organization's name, Acme, to delete it.",
        field: "confirmName",
      });
    }
    expect((await w.connection()).status).toBe("connected");
    expect((await w.t.run((ctx) => ctx.db.get(w.orgId)))!.deletedAt).toBeUndefined();
  });

  test("only owners may delete", async () => {
    const w = await setup(simulatorUrl, "github");
    const admin = await createUser(w.t, "second-admin@example.com");
    await w.t.run((ctx) => ctx.db.insert("memberships", { orgId: w.orgId, userId: admin.userId, role: "admin" }));
    for (const who of [admin, w.member]) {
      expect(await errorOf(who.as.action(api.orgs.deletion.remove, { orgId: w.orgId, confirmName: "Acme" }))).toEqual({
        code: "FORBIDDEN",
        message: "Only owners can do this.",
      });
    }
    expect((await w.connection()).status).toBe("connected");
  });
});

describe("a deleted organization", () => {
  test("from the moment it is marked: members are told, it leaves their list, and nothing in it can be used", async () => {
    const w = await setup(simulatorUrl, "");
    await w.t.mutation(internal.orgs.deletion.begin, { orgId: w.orgId, userId: w.admin.userId });
    expect(await w.member.as.query(api.orgs.organizations.getBySlug, { slug: "acme" })).toMatchObject({
      name: "Acme",
      deleted: true,
    });
    expect(await w.member.as.query(api.orgs.organizations.listMine, {})).toEqual([]);
    expect(await errorOf(w.member.as.query(api.integrations.connections.list, { orgId: w.orgId }))).toEqual({
      code: "FORBIDDEN",
      message: "Acme was deleted.",
    });
    expect((await errorOf(w.admin.as.action(api.orgs.deletion.remove, { orgId: w.orgId, confirmName: "Acme" }))).code).toBe(
      "FORBIDDEN",
    );
    // Deleting it twice is refused by the mark itself too (a race between two owners).
    expect((await errorOf(w.t.mutation(internal.orgs.deletion.begin, { orgId: w.orgId, userId: w.admin.userId }))).code).toBe(
      "CONFLICT",
    );
  });

  test("a connect under way when it was deleted cannot save a grant", async () => {
    const w = await setup(simulatorUrl, "");
    const { authorizeUrl } = await w.admin.as.action(api.integrations.oauth.start, {
      orgId: w.orgId,
      providerId: "linear",
      mode: "redirect",
      returnTo: "/o/acme/settings/integrations",
    });
    const { code, state } = await approve(authorizeUrl);
    await w.t.mutation(internal.orgs.deletion.begin, { orgId: w.orgId, userId: w.admin.userId });
    const result = await w.admin.as.action(api.integrations.oauth.complete, { providerId: "linear", state: state!, code: code! });
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
    expect(await rowsOf(w, w.orgId)).not.toHaveProperty("connections");
  });

  test("is swept in batches of DELETION_BATCH_SIZE, each scheduling the next", async () => {
    const w = await setup(simulatorUrl, "");
    await w.t.run(async (ctx) => {
      for (let i = 0; i < DELETION_BATCH_SIZE + 5; i++) {
        await ctx.db.insert("auditEvents", { orgId: w.orgId, action: "org.created", actor: { kind: "system" } });
      }
    });
    await w.t.mutation(internal.orgs.deletion.begin, { orgId: w.orgId, userId: w.admin.userId });
    expect(await w.t.mutation(internal.orgs.deletion.sweep, { orgId: w.orgId })).toBe("more");
    expect((await rowsOf(w, w.orgId)).auditEvents).toBe(5);
    const next = (await w.pendingJobs()).filter((job) => job.name === "orgs/deletion:sweep");
    expect(next.map((job) => job.args[0])).toContainEqual({ orgId: w.orgId });
    // The rest, then the memberships, then the organization.
    expect(await sweepToTheEnd(w)).toBe(2);
    expect(await w.t.run((ctx) => ctx.db.get(w.orgId))).toBeNull();
  });

  test("the sweep hands a grant nobody revoked (the revoking action died) to the retries, and cancels scheduled work", async () => {
    const w = await setup(simulatorUrl, "github");
    const workflowId = await w.t.run(async (ctx) => {
      const jobId = await ctx.scheduler.runAfter(3_600_000, internal.orgs.deletion.sweep, { orgId: w.orgId });
      return await ctx.db.insert("workflows", {
        orgId: w.orgId,
        name: "Nightly",
        trigger: { kind: "manual", sampleInput: {} },
        steps: [],
        enabled: true,
        scheduleJobId: jobId,
        createdBy: w.admin.userId,
        updatedAt: 0,
      });
    });
    const scheduleJobId = (await w.t.run((ctx) => ctx.db.get(workflowId)))!.scheduleJobId!;
    const grant = (await w.connection()).secrets;
    await w.t.mutation(internal.orgs.deletion.begin, { orgId: w.orgId, userId: w.admin.userId });
    await sweepToTheEnd(w);

    expect(await rowsOf(w, w.orgId)).toEqual({ pendingRevocations: 1 });
    const [pending] = await w.t.run((ctx) => ctx.db.query("pendingRevocations").collect());
    expect(pending).toMatchObject({ providerId: "github", secrets: grant, requestedBy: w.admin.userId });
    expect((await w.t.run((ctx) => ctx.db.system.get(scheduleJobId)))!.state.kind).toBe("canceled");
    expect(await w.t.action(internal.connections.revocations.retry, { revocationId: pending!._id })).toBe("revoked");
    expect(await rowsOf(w, w.orgId)).toEqual({});
  });
});
