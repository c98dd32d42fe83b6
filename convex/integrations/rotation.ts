/**
 * Key rotation: re-encrypts every connection secret still under an older key.
 * Batches of `ROTATION_BATCH_SIZE`, each scheduling the next, so it resumes after
 * a failure and is safe to run twice (rows already under the newest key are skipped,
 * and a row changed meanwhile is left to the next run).
 */
import { v } from "convex/values";
import { needsRotation } from "../../lib/vault";
import { internalAction, internalMutation, internalQuery } from "../functions";
import { internal } from "../_generated/api";
import { keyRing } from "../shared/env";
import { decryptSecrets, encryptSecrets } from "../shared/secrets";

export const ROTATION_BATCH_SIZE = 50;

export const page = internalQuery({
  args: { cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { cursor }) =>
    ctx.db.query("connections").paginate({ cursor, numItems: ROTATION_BATCH_SIZE }),
});

/** Swaps a row's secrets only if they are still the ones that were re-encrypted. */
export const replaceSecrets = internalMutation({
  args: {
    connectionId: v.id("connections"),
    expected: v.record(v.string(), v.string()),
    secrets: v.record(v.string(), v.string()),
  },
  handler: async (ctx, { connectionId, expected, secrets }) => {
    const row = await ctx.db.get(connectionId);
    if (!row || JSON.stringify(row.secrets) !== JSON.stringify(expected)) return false;
    await ctx.db.patch(connectionId, { secrets });
    return true;
  },
});

/** Re-encrypts one batch and schedules the next. Start with `{ cursor: null }`. */
export const rotateKeys = internalAction({
  args: { cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { cursor }): Promise<{ rotated: number; skipped: number; done: boolean }> => {
    const ring = keyRing();
    const batch = await ctx.runQuery(internal.integrations.rotation.page, { cursor });
    let rotated = 0;
    let skipped = 0;
    for (const row of batch.page) {
      if (!Object.values(row.secrets).some((c) => needsRotation(ring, c))) continue;
      const plaintext = await decryptSecrets(row.orgId, row.providerId, row.secrets);
      const secrets = await encryptSecrets(row.orgId, row.providerId, plaintext);
      const swapped = await ctx.runMutation(internal.integrations.rotation.replaceSecrets, {
        connectionId: row._id,
        expected: row.secrets,
        secrets,
      });
      if (swapped) rotated++;
      else skipped++;
    }
    if (!batch.isDone) {
      await ctx.scheduler.runAfter(0, internal.integrations.rotation.rotateKeys, { cursor: batch.continueCursor });
    }
    console.log(`key rotation: ${rotated} rotated, ${skipped} changed meanwhile, done=${batch.isDone}`);
    return { rotated, skipped, done: batch.isDone };
  },
});
