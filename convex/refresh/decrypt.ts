/**
 * Decrypting a connection's secrets where a failure has two very different meanings.
 * Not a function module.
 */
import { VaultDecryptError } from "../../lib/vault";
import type { Doc } from "../_generated/dataModel";
import { decryptSecrets } from "../integrations/secrets";

/**
 * The row's secrets, or null when a ciphertext does not decrypt (tampered, moved, or
 * under a key that left the ring): the connection's own problem, shown as
 * `decrypt_failed`. A deployment problem (no key ring at all) is thrown instead, as
 * its coded MISCONFIGURED error: marking every connection broken would hide it.
 */
export async function decryptRowSecrets(row: Pick<Doc<"connections">, "orgId" | "providerId" | "secrets">) {
  try {
    return await decryptSecrets(row.orgId, row.providerId, row.secrets);
  } catch (error) {
    if (error instanceof VaultDecryptError) return null;
    throw error;
  }
}
