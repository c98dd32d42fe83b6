/**
 * Key rotation: re-encrypts every connection secret still under an older key, then
 * every pending revocation's (they hold a disconnected grant's tokens until revoked).
 * Batches of `ROTATION_BATCH_SIZE`, each scheduling the next, so it resumes after
 * a failure and is safe to run twice (rows already under the newest key are skipped,
 * and a row changed meanwhile is left to the next run). A row whose secrets do not
 * decrypt (tampered, or under a key retired too early) never stalls the run: it is
 * counted, its connection turns to `decrypt_failed`, and the run goes on.
 */
import { v } from "convex/values";
import { needsRotation, VaultDecryptError } from "../../lib/vault";
import { markBroken } from "../connections/transitions";
import { internalAction, internalMutation, internalQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { keyRing } from "../shared/env";
import { decryptSecrets, encryptSecrets } from "../shared/secrets";

export const ROTATION_BATCH_SIZE = 50;

/** The audit actor of key rotation. */
const ROTATION_ACTOR = { kind: "system" as const, label: "Key rotation" };

const totalsValidator = v.object({ rotated: v.number(), skipped: v.number(), failed: v.number() });
type Totals = { rotated: number; skipped: number; failed: number };

/** The tables that hold vault ciphertexts, in the order a run visits them. */
const tableValidator = v.union(v.literal("connections"), v.literal("pendingRevocations"));

export const page = internalQuery({
  args: { table: tableValidator, cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { table, cursor }) => {
    const result = await ctx.db.query(table).paginate({ cursor, numItems: ROTATION_BATCH_SIZE });
    return {
      ...result,
      page: result.page.map((row) => ({ _id: row._id, orgId: row.orgId, providerId: row.providerId, secrets: row.secrets })),
    };
  },
});

/** Swaps a row's secrets only if they are still the ones that were re-encrypted. */
export const replaceSecrets = internalMutation({
  args: {
    id: v.union(v.id("connections"), v.id("pendingRevocations")),
    expected: v.record(v.string(), v.string()),
    secrets: v.record(v.string(), v.string()),
  },
  handler: async (ctx, { id, expected, secrets }) => {
    const row = await ctx.db.get(id);
    if (!row || JSON.stringify(row.secrets) !== JSON.stringify(expected)) return false;
    await ctx.db.patch(id, { secrets });
    return true;
  },
});

/** A row rotation could not read: its connection turns to decrypt_failed (if its secrets are still those). */
export const markUnreadable = internalMutation({
  args: { connectionId: v.id("connections"), unreadable: v.record(v.string(), v.string()) },
  handler: async (ctx, { connectionId, unreadable }) => {
    const row = await ctx.db.get(connectionId);
    if (!row) return false;
    return markBroken(ctx, row, {
      reason: "decrypt_failed",
      failedSecrets: unreadable,
      actor: ROTATION_ACTOR,
      message: "Key rotation could not read the stored credential (was its key removed?). Reconnect to fix it.",
      source: "rotation",
    });
  },
});

/**
 * Re-encrypts one batch and schedules the next. Start with `{ cursor: null }`; each
 * batch returns the run's totals so far (rotated, changed meanwhile, unreadable).
 */
export const rotateKeys = internalAction({
  args: { cursor: v.union(v.string(), v.null()), totals: v.optional(totalsValidator), table: v.optional(tableValidator) },
  handler: async (ctx, { cursor, totals: before, table = "connections" }): Promise<Totals & { done: boolean }> => {
    const ring = keyRing();
    const batch = await ctx.runQuery(internal.integrations.rotation.page, { table, cursor });
    const totals: Totals = { ...(before ?? { rotated: 0, skipped: 0, failed: 0 }) };
    for (const row of batch.page) {
      if (!Object.values(row.secrets).some((c) => needsRotation(ring, c))) continue;
      let plaintext: Record<string, string>;
      try {
        plaintext = await decryptSecrets(row.orgId, row.providerId, row.secrets);
      } catch (error) {
        // A deployment problem (no key ring) is thrown; one row's unreadable secret is counted.
        if (!(error instanceof VaultDecryptError)) throw error;
        totals.failed++;
        // A pending revocation that cannot be read gives itself up when it next runs.
        if (table === "connections") {
          const connectionId = row._id as Id<"connections">;
          await ctx.runMutation(internal.integrations.rotation.markUnreadable, { connectionId, unreadable: row.secrets });
        }
        continue;
      }
      const secrets = await encryptSecrets(row.orgId, row.providerId, plaintext);
      const swapped = await ctx.runMutation(internal.integrations.rotation.replaceSecrets, {
        id: row._id,
        expected: row.secrets,
        secrets,
      });
      if (swapped) totals.rotated++;
      else totals.skipped++;
    }
    const next = !batch.isDone
      ? { table, cursor: batch.continueCursor }
      : table === "connections"
        ? { table: "pendingRevocations" as const, cursor: null }
        : null;
    if (next) await ctx.scheduler.runAfter(0, internal.integrations.rotation.rotateKeys, { ...next, totals });
    console.log(
      `key rotation (${table}): ${totals.rotated} rotated, ${totals.skipped} changed meanwhile, ${totals.failed} unreadable (connections marked decrypt_failed), done=${next === null}`,
    );
    return { ...totals, done: next === null };
  },
});
