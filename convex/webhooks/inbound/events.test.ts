/** The events page's queries: filters, newest first, members read, another org's events stay out of sight. */
import { describe, expect, test } from "vitest";
import { api } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import { createOrg, createUser } from "../../test.helpers";
import { inboundWorld } from "./test.inbound";

type Status = "pending" | "processed" | "failed" | "dead";

describe("the events list", () => {
  test("newest first, filtered by status, type or provider (combined), read by members; another org's event is not found", async () => {
    const w = await inboundWorld();
    const insert = (orgId: Id<"organizations">, providerId: string, type: string, status: Status, receivedAt: number) =>
      w.t.run((ctx) =>
        ctx.db.insert("inboundEvents", {
          orgId,
          providerId,
          type,
          dedupeKey: `${type}:${receivedAt}`,
          verification: "test",
          headers: {},
          payload: "{}",
          payloadBytes: 2,
          payloadTruncated: false,
          receivedAt,
          status,
          attempts: 1,
          attemptLimit: 5,
        }),
      );
    await insert(w.orgId, "github", "github.issues.opened", "processed", 1);
    await insert(w.orgId, "slack", "slack.message", "dead", 2);
    await insert(w.orgId, "github", "github.push", "dead", 3);
    const stranger = await createUser(w.t, "stranger@example.com");
    const otherOrg = await createOrg(w.t, "Other", [{ user: stranger, role: "owner" }]);
    const foreign = await insert(otherOrg, "github", "github.issues.opened", "processed", 4);

    const list = async (filter: Record<string, string>) =>
      (await w.member.as.query(api.webhooks.inbound.events.list, { orgId: w.orgId, filter, paginationOpts: { numItems: 10, cursor: null } })).page.map((e) => e.type);
    expect(await list({})).toEqual(["github.push", "slack.message", "github.issues.opened"]);
    expect(await list({ status: "dead" })).toEqual(["github.push", "slack.message"]);
    expect(await list({ status: "dead", providerId: "github" })).toEqual(["github.push"]);
    expect(await list({ type: "github.issues.opened" })).toEqual(["github.issues.opened"]);
    expect(await list({ providerId: "slack" })).toEqual(["slack.message"]);

    expect(await w.admin.as.query(api.webhooks.inbound.events.get, { orgId: w.orgId, eventId: foreign })).toBeNull();
    const mine = (await w.admin.as.query(api.webhooks.inbound.events.list, { orgId: w.orgId, filter: {}, paginationOpts: { numItems: 1, cursor: null } })).page[0]!;
    expect(await w.member.as.query(api.webhooks.inbound.events.get, { orgId: w.orgId, eventId: mine._id })).toMatchObject({ type: "github.push", headers: {}, payload: "{}" });
  });
});
