// Custom webhooks' quirk: the user picks how the receiver authenticates us, so the auth header is built from form values.
import { basicAuthorization } from "../http/basic";
import type { ProviderHooks } from "./hooks";

export const CUSTOM_WEBHOOK_AUTH_MODES = ["none", "header", "bearer", "basic"] as const;
export type CustomWebhookAuthMode = (typeof CUSTOM_WEBHOOK_AUTH_MODES)[number];

/** Headers a user may not set: the transport owns them. */
const RESERVED_HEADERS = new Set(["host", "content-length", "content-type", "connection", "transfer-encoding"]);

/** Thrown when the form values cannot produce an auth header. */
export class CustomWebhookConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "CustomWebhookConfigError";
    this.field = field;
  }
}

function required(values: Record<string, string | undefined>, field: string): string {
  const value = values[field]?.trim();
  if (!value) throw new CustomWebhookConfigError(field, `"${field}" is required for this authentication mode.`);
  return value;
}

/**
 * The auth header(s) a custom webhook delivery carries, from the connect form's values.
 * @example customWebhookAuthHeaders({ authMode: "bearer", bearerToken: "t" }) // { Authorization: "Bearer t" }
 */
export function customWebhookAuthHeaders(values: Record<string, string | undefined>): Record<string, string> {
  const mode = (values.authMode ?? "none") as CustomWebhookAuthMode;
  switch (mode) {
    case "none":
      return {};
    case "header": {
      const name = required(values, "headerName");
      if (!/^[A-Za-z0-9-]+$/.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
        throw new CustomWebhookConfigError("headerName", `"${name}" cannot be used as a header name.`);
      }
      return { [name]: required(values, "headerValue") };
    }
    case "bearer":
      return { Authorization: `Bearer ${required(values, "bearerToken")}` };
    case "basic": {
      const username = required(values, "basicUsername");
      if (username.includes(":")) throw new CustomWebhookConfigError("basicUsername", "The username cannot contain ':'.");
      return { Authorization: basicAuthorization(username, values.basicPassword ?? "") };
    }
    default:
      throw new CustomWebhookConfigError("authMode", `Unknown authentication mode "${String(mode satisfies never)}".`);
  }
}

export const customWebhookHooks: ProviderHooks = {
  webhookHeaders: customWebhookAuthHeaders,
};
