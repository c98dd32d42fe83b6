/**
 * The handlers of `/v1/events`: the org's accepted inbound webhook deliveries, as the
 * events page shows them (convex/webhooks/inbound/events.ts), read by ./events.ts. The
 * stored headers and payload are already redacted (lib/inbound/store.ts); no secret of
 * an endpoint is read here at all.
 */
import { decodePositionCursor, encodePositionCursor, problem } from "../../lib/public-api";
import { internal } from "../_generated/api";
import type { ActionCtx } from "../_generated/server";
import { badCursor, iso, isoOrNull } from "./answers";
import { keyMayRead, type EventDetailRow, type EventRow } from "./events";
import type { Handler } from "./handlers";

type EventOperationId = "listEvents" | "getEvent";

function presentEvent(row: EventRow) {
  return {
    id: row.id,
    provider_id: row.providerId,
    type: row.type,
    delivery_id: row.deliveryId,
    status: row.status,
    attempts: row.attempts,
    received_at: iso(row.receivedAt),
    processed_at: isoOrNull(row.processedAt),
    next_attempt_at: isoOrNull(row.nextAttemptAt),
    last_error: row.lastError,
    lifecycle: row.lifecycle,
  };
}

/** A whole stored payload as the JSON it is; a cut one (or one that is not JSON) as its text. */
function presentPayload(row: EventDetailRow): { payload: unknown; payload_format: "json" | "text" } {
  if (!row.payloadTruncated) {
    try {
      return { payload: JSON.parse(row.payload) as unknown, payload_format: "json" };
    } catch {
      // A body that was not JSON is stored as its text.
    }
  }
  return { payload: row.payload, payload_format: "text" };
}

export const EVENT_HANDLERS: { [K in EventOperationId]: Handler<K> } = {
  listEvents: async (ctx: ActionCtx, { caller, query }) => {
    const cursor = query.cursor === undefined ? null : decodePositionCursor(query.cursor);
    if (cursor === null && query.cursor !== undefined) return badCursor();
    const { rows, next }: { rows: EventRow[]; next: { receivedAt: number; creationTime: number } | null } = await ctx.runQuery(internal.publicApi.events.page, {
      orgId: caller.orgId,
      providerIds: caller.providerIds,
      filter: {
        ...(query.provider !== undefined ? { providerId: query.provider } : {}),
        ...(query.type !== undefined ? { type: query.type } : {}),
        ...(query.status !== undefined ? { status: query.status } : {}),
      },
      limit: query.limit,
      cursor,
    });
    return { body: { data: rows.map(presentEvent), next_cursor: next === null ? null : encodePositionCursor(next) } };
  },

  getEvent: async (ctx, { caller, params }) => {
    const row: (EventDetailRow & { connected: boolean }) | null = await ctx.runQuery(internal.publicApi.events.get, { orgId: caller.orgId, eventId: params.eventId });
    if (!row) return { problem: problem("not_found", "There is no such event.") };
    if (!keyMayRead(caller.providerIds, row)) {
      return { problem: problem("connection_not_allowed", `This key is not allowed to use the ${row.providerId} connection.`) };
    }
    return {
      body: {
        ...presentEvent(row),
        verification: row.verification,
        headers: row.headers,
        ...presentPayload(row),
        payload_bytes: row.payloadBytes,
        truncated: row.payloadTruncated,
      },
    };
  },
};
