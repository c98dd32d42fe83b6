/**
 * Inbound events of the key's org, for `GET /v1/events` and `GET /v1/events/{eventId}`:
 * the events page's rows (convex/webhooks/inbound/events.ts) read by the key's org id
 * instead of a signed-in member's, and paged by a cursor of our own.
 *
 * A page reads one index, newest first: the one of the first filter given (status, then
 * type, then provider), the others and the key's connection limit checked on each row
 * read. The cursor is the position of the last row read (its `receivedAt` and
 * `_creationTime`), so the next page starts right after it whether or not that row was
 * shown. At most EVENTS_READ_MAX rows are read per page; a page that reaches it before
 * it is full comes back short with a cursor.
 */
import { v } from "convex/values";
import { internalQuery } from "../functions";
import type { Doc, Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { eventSummary } from "../webhooks/inbound/events";
import { inboundEventStatusValidator } from "../webhooks/inbound/tables";

/**
 * Rows one page may read. A stored event is at most about 85 KB (a 64 KiB payload and
 * 40 headers of 512 bytes), so 150 stay under the 16 MiB a query may read
 * [docs.convex.dev/production/state/limits].
 */
export const EVENTS_READ_MAX = 150;

/** Where a page starts: just after this row, in newest-first order. */
const cursorValidator = v.object({ receivedAt: v.number(), creationTime: v.number() });

function summary(event: Doc<"inboundEvents">) {
  const { _id, ...rest } = eventSummary(event);
  return { id: _id as string, ...rest };
}

export type EventRow = ReturnType<typeof summary>;
export type EventDetailRow = EventRow & {
  verification: string;
  headers: Record<string, string>;
  payload: string;
  payloadBytes: number;
  payloadTruncated: boolean;
};

/**
 * May a key limited to `providerIds` (null: not limited) read an event of `providerId`?
 * An event of a connection only when the key may use that provider; one that belongs to
 * no connection (a Standard Webhooks endpoint's) belongs to the organization, like its
 * webhook endpoints.
 */
export function keyMayRead(providerIds: string[] | null, event: { providerId: string; connected: boolean }): boolean {
  return providerIds === null || !event.connected || providerIds.includes(event.providerId);
}

type Filter = { providerId?: string; type?: string; status?: Doc<"inboundEvents">["status"] };
type Position = { receivedAt: number; creationTime: number };
/** A stretch of one index: all of the org's rows, the rest of a millisecond before a row, or all before a millisecond. */
type Bound = { kind: "all" } | { kind: "sameMs"; at: number; ct: number } | { kind: "before"; at: number };

/** The rows of the filter's index within `bound`, newest first, read lazily. */
function range(ctx: QueryCtx, orgId: Id<"organizations">, filter: Filter, bound: Bound): AsyncIterable<Doc<"inboundEvents">> {
  const db = ctx.db.query("inboundEvents");
  const { status, type, providerId } = filter;
  // The index's own equality prefix, then the bound on receivedAt (and _creationTime, which ends every index).
  type Tail = { eq(f: "receivedAt", v: number): { lt(f: "_creationTime", v: number): unknown }; lt(f: "receivedAt", v: number): unknown };
  const tail = <Q extends Tail>(q: Q) =>
    (bound.kind === "all" ? q : bound.kind === "sameMs" ? q.eq("receivedAt", bound.at).lt("_creationTime", bound.ct) : q.lt("receivedAt", bound.at)) as Q;
  if (status !== undefined) return db.withIndex("by_orgId_and_status_and_receivedAt", (q) => tail(q.eq("orgId", orgId).eq("status", status))).order("desc");
  if (type !== undefined) return db.withIndex("by_orgId_and_type_and_receivedAt", (q) => tail(q.eq("orgId", orgId).eq("type", type))).order("desc");
  if (providerId !== undefined) {
    return db.withIndex("by_orgId_and_providerId_and_receivedAt", (q) => tail(q.eq("orgId", orgId).eq("providerId", providerId))).order("desc");
  }
  return db.withIndex("by_orgId_and_receivedAt", (q) => tail(q.eq("orgId", orgId))).order("desc");
}

/** The rows after `cursor`, newest first: the rest of the cursor's millisecond, then everything received before it. */
function after(ctx: QueryCtx, orgId: Id<"organizations">, filter: Filter, cursor: Position | null) {
  if (cursor === null) return [range(ctx, orgId, filter, { kind: "all" })];
  return [
    range(ctx, orgId, filter, { kind: "sameMs", at: cursor.receivedAt, ct: cursor.creationTime }),
    range(ctx, orgId, filter, { kind: "before", at: cursor.receivedAt }),
  ];
}

export const page = internalQuery({
  args: {
    orgId: v.id("organizations"),
    providerIds: v.union(v.array(v.string()), v.null()),
    filter: v.object({ providerId: v.optional(v.string()), type: v.optional(v.string()), status: v.optional(inboundEventStatusValidator) }),
    limit: v.number(),
    cursor: v.union(cursorValidator, v.null()),
  },
  handler: async (ctx, { orgId, providerIds, filter, limit, cursor }) => {
    const rows: EventRow[] = [];
    let read = 0;
    let last: Position | null = null;
    let more = false;
    const matches = (e: Doc<"inboundEvents">) =>
      (filter.type === undefined || e.type === filter.type) && (filter.providerId === undefined || e.providerId === filter.providerId) && keyMayRead(providerIds, { providerId: e.providerId, connected: e.connectionId !== undefined });
    outer: for (const range of after(ctx, orgId, filter, cursor)) {
      for await (const event of range) {
        if (rows.length === limit) {
          // The page is full; one more match says there is a next page.
          if (matches(event)) {
            more = true;
            break outer;
          }
        } else if (matches(event)) {
          rows.push(summary(event));
        }
        last = { receivedAt: event.receivedAt, creationTime: event._creationTime };
        if (++read >= EVENTS_READ_MAX) {
          more = true;
          break outer;
        }
      }
    }
    return { rows, next: more ? last : null };
  },
});

export const get = internalQuery({
  args: { orgId: v.id("organizations"), eventId: v.string() },
  handler: async (ctx, { orgId, eventId }): Promise<(EventDetailRow & { connected: boolean }) | null> => {
    const id = ctx.db.normalizeId("inboundEvents", eventId);
    const event = id ? await ctx.db.get(id) : null;
    if (!event || event.orgId !== orgId) return null;
    return {
      ...summary(event),
      connected: event.connectionId !== undefined,
      verification: event.verification,
      headers: event.headers,
      payload: event.payload,
      payloadBytes: event.payloadBytes,
      payloadTruncated: event.payloadTruncated,
    };
  },
});
