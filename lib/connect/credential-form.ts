/**
 * Checking what a person typed into a credential provider's connect form, from the
 * catalog's field descriptors. The same rules run in the browser (inline errors)
 * and in Convex (the real check).
 */
import { hooksOf } from "../providers/hooks";
import type { CredentialField, Provider } from "../providers/schema";
import { checkOutboundUrl, type OutboundUrlRejection } from "../ssrf";

export type FormProvider = Extract<Provider, { fields: CredentialField[] }>;

/** The longest value any field accepts. */
export const FIELD_MAX_LENGTH = 2048;

export type CheckedCredentials =
  | { ok: true; secrets: Record<string, string>; config: Record<string, string> }
  | { ok: false; field: string; message: string };

/** True when the field is shown for these values (its `visibleWhen` holds). */
export function isFieldVisible(field: CredentialField, values: Record<string, string | undefined>): boolean {
  if (!field.visibleWhen) return true;
  return field.visibleWhen.in.includes(values[field.visibleWhen.field] ?? "");
}

const URL_REASONS: Partial<Record<OutboundUrlRejection, string>> = {
  https_required: "Use an https:// address.",
  credentials_in_url: "Leave the username and password out of the address.",
  loopback_address: "That address points at this server; use the public address.",
  private_address: "That address is on a private network; use a public address.",
  internal_hostname: "That looks like an internal host name; use a public address.",
};

/**
 * Validates and splits form values into secrets (encrypted at rest) and config
 * (plain). Unknown fields are dropped; hidden fields are ignored.
 * `allowLoopback` admits 127.0.0.1 addresses (the provider simulator, local sites).
 * `checkUrlPrefixes: false` skips the provider's URL prefixes (Pumble's host): the
 * browser does not know where the simulator moved them; the server always checks.
 */
export function checkCredentialForm(
  provider: FormProvider,
  values: Record<string, string>,
  options: { allowLoopback?: boolean; checkUrlPrefixes?: boolean },
): CheckedCredentials {
  const secrets: Record<string, string> = {};
  const config: Record<string, string> = {};
  for (const field of provider.fields) {
    if (!isFieldVisible(field, values)) continue;
    let value = (values[field.name] ?? "").trim();
    if (!value) {
      if (field.required) return { ok: false, field: field.name, message: `${field.label} is required.` };
      continue;
    }
    if (value.length > FIELD_MAX_LENGTH) {
      return { ok: false, field: field.name, message: `${field.label} is too long.` };
    }
    if (field.type === "select" && !field.options?.some((o) => o.value === value)) {
      return { ok: false, field: field.name, message: `Choose one of the options for ${field.label}.` };
    }
    // The provider's own rules first (WordPress's site URL), then the generic URL checks on the result.
    const own = hooksOf(provider).credentialField?.(field, value) ?? { ok: true, value };
    if (!own.ok) return { ok: false, field: field.name, message: own.message };
    value = own.value;
    if (field.type === "url") {
      const problem = checkUrlField(provider, field, value, options.allowLoopback ?? false, options.checkUrlPrefixes ?? true);
      if (problem) return { ok: false, field: field.name, message: problem };
    }
    (field.secret ? secrets : config)[field.name] = value;
  }
  return { ok: true, secrets, config };
}

/** What is wrong with a URL field's value, or null. */
function checkUrlField(
  provider: FormProvider,
  field: CredentialField,
  value: string,
  allowLoopback: boolean,
  checkUrlPrefixes: boolean,
): string | null {
  const checked = checkOutboundUrl(value, { allowLoopback });
  if (!checked.ok) return URL_REASONS[checked.reason] ?? `${field.label} is not an address we can send to.`;
  if (provider.authKind === "webhook_url" && checkUrlPrefixes) {
    const prefixes = provider.webhook.allowedUrlPrefixes;
    if (prefixes && !prefixes.some((prefix) => value.startsWith(prefix))) {
      return `${field.label} must start with ${prefixes[0]}.`;
    }
  }
  return null;
}
