/**
 * Vault against raw Web Crypto: encrypting and decrypting a token bundle (access and
 * refresh token, as a refresh stores them) with `encryptSecrets`/`decryptSecrets`,
 * against AES-256-GCM on the same key with the same additional authenticated data
 * (made once, before timing) and no format, key ring or base64 around it. The vault's
 * extra is what it adds to the cipher: the AAD from the binding, the key lookup, the
 * `v1.<key>.<iv>.<ciphertext>` text and its strict parsing.
 */
import { bindingFor, decryptSecrets, encryptSecrets } from "../convex/shared/secrets";
import { sideBySide, summarise } from "./stats";

const ROUNDS = 3000;

function randomText(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => "abcdefghijklmnopqrstuvwxyz0123456789"[byte % 36]).join("");
}

function keyBytes(): Uint8Array<ArrayBuffer> {
  const entry = process.env.SWITCHBOARD_ENCRYPTION_KEYS!.split(",")[0]!;
  const base64 = entry.slice(entry.indexOf(":") + 1).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
}

/** The vault's AAD for one field, as lib/vault/vault.test.ts's known-answer test spells it. */
function aadOf(keyId: string, field: string): Uint8Array<ArrayBuffer> {
  const binding = bindingFor("org1", "github", field);
  return new TextEncoder().encode(JSON.stringify(["switchboard-vault", "v1", keyId, binding.orgId, binding.owner, binding.field]));
}

export async function benchVault() {
  const bundle = { accessToken: `gho_${randomText(60)}`, refreshToken: `ghr_${randomText(76)}` };
  const key = await crypto.subtle.importKey("raw", keyBytes(), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  const keyId = process.env.SWITCHBOARD_ENCRYPTION_KEYS!.split(",")[0]!.split(":")[0]!;
  const fields = Object.entries(bundle).map(([field, value]) => ({ value, additionalData: aadOf(keyId, field) }));
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  // The baseline must be the same cipher work: check once that its AAD is the vault's.
  const sealedByVault = await encryptSecrets("org1", "github", bundle);
  const [, , ivText, sealedText] = sealedByVault.accessToken!.split(".");
  const fromBase64Url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const opened = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64Url(ivText!), additionalData: fields[0]!.additionalData },
    key,
    fromBase64Url(sealedText!),
  );
  if (decoder.decode(opened) !== bundle.accessToken) throw new Error("the baseline's AAD is not the vault's");

  const vault = async () => {
    const sealed = await encryptSecrets("org1", "github", bundle);
    const opened = await decryptSecrets("org1", "github", sealed);
    if (opened.refreshToken !== bundle.refreshToken) throw new Error("vault round trip failed");
  };
  const raw = async () => {
    const sealed = await Promise.all(
      fields.map(async ({ value, additionalData }) => {
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const bytes = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, encoder.encode(value));
        return { iv, bytes, additionalData };
      }),
    );
    const opened = await Promise.all(
      sealed.map(async ({ iv, bytes, additionalData }) =>
        decoder.decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, key, bytes)),
      ),
    );
    if (opened[1] !== bundle.refreshToken) throw new Error("raw round trip failed");
  };

  await sideBySide(200, vault, raw); // warm-up
  const samples = await sideBySide(ROUNDS, vault, raw);
  return { vault: summarise(samples.a), raw: summarise(samples.b) };
}
