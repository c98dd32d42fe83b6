/**
 * Encrypting and decrypting a connection's secrets. A connection is identified by
 * its organization and provider (one per pair), and that identity plus the field
 * name is bound into each ciphertext: moved to another org, provider or field, it
 * no longer decrypts.
 */
import { decryptSecret, encryptSecret, VaultDecryptError, type SecretBinding } from "../../lib/vault";
import type { Doc } from "../_generated/dataModel";
import { keyRing } from "./env";

/** The additional authenticated data of one secret field of the connection of `orgId` and `providerId`. */
export function bindingFor(orgId: string, providerId: string, field: string): SecretBinding {
  return { orgId, owner: `${orgId}/${providerId}`, field };
}

/** Encrypts every field of `plaintext` under the newest key. */
export async function encryptSecrets(
  orgId: string,
  providerId: string,
  plaintext: Record<string, string>,
): Promise<Record<string, string>> {
  const ring = keyRing();
  const entries = await Promise.all(
    Object.entries(plaintext).map(
      async ([field, value]) => [field, await encryptSecret(ring, value, bindingFor(orgId, providerId, field))] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Decrypts every field; throws `VaultDecryptError` when one was tampered with or moved. */
export async function decryptSecrets(
  orgId: string,
  providerId: string,
  ciphertexts: Record<string, string>,
): Promise<Record<string, string>> {
  const ring = keyRing();
  const entries = await Promise.all(
    Object.entries(ciphertexts).map(
      async ([field, value]) => [field, await decryptSecret(ring, value, bindingFor(orgId, providerId, field))] as const,
    ),
  );
  return Object.fromEntries(entries);
}

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

/**
 * The binding of a webhook endpoint's signing secret: its org, its public id and the
 * secret's version, so a ciphertext copied to another endpoint, or kept past a
 * rotation as another version, does not decrypt.
 */
export function webhookSecretBinding(orgId: string, endpointPublicId: string, version: number): SecretBinding {
  return { orgId, owner: `webhook-endpoint/${endpointPublicId}`, field: `signingSecret.v${version}` };
}

/** Seals a webhook signing secret (in an action, where it was generated). */
export async function encryptWebhookSecret(orgId: string, endpointPublicId: string, version: number, secret: string): Promise<string> {
  return await encryptSecret(keyRing(), secret, webhookSecretBinding(orgId, endpointPublicId, version));
}

/** Opens a webhook signing secret; throws `VaultDecryptError` when it was tampered with or moved. */
export async function decryptWebhookSecret(orgId: string, endpointPublicId: string, version: number, ciphertext: string): Promise<string> {
  return await decryptSecret(keyRing(), ciphertext, webhookSecretBinding(orgId, endpointPublicId, version));
}

/**
 * The binding of an inbound endpoint's secret (the one a provider signs deliveries to it
 * with): its org, its public id and the secret's version.
 */
export function inboundSecretBinding(orgId: string, endpointPublicId: string, version: number): SecretBinding {
  return { orgId, owner: `inbound-endpoint/${endpointPublicId}`, field: `secret.v${version}` };
}

/** Seals an inbound endpoint's secret (in an action: generated there, or just received from the provider). */
export async function encryptInboundSecret(orgId: string, endpointPublicId: string, version: number, secret: string): Promise<string> {
  return await encryptSecret(keyRing(), secret, inboundSecretBinding(orgId, endpointPublicId, version));
}

/** Opens an inbound endpoint's secret; throws `VaultDecryptError` when it was tampered with or moved. */
export async function decryptInboundSecret(orgId: string, endpointPublicId: string, version: number, ciphertext: string): Promise<string> {
  return await decryptSecret(keyRing(), ciphertext, inboundSecretBinding(orgId, endpointPublicId, version));
}
