/**
 * How a connection's credential rides on a request, by auth kind. Applied last by
 * every builder, so nothing a caller set can replace or redirect it.
 */
import { hooksOf } from "../providers/hooks";
import type { Provider } from "../providers/schema";
import { basicAuthorization } from "./basic";

/** Decrypted secrets and plain config of one connection. Lives only inside an action. */
export type ConnectionCredentials = {
  secrets: Record<string, string>;
  config: Record<string, string>;
};

/** Puts the credential on `url` and `headers` the way the provider expects it. */
export function applyCredential(provider: Provider, credentials: ConnectionCredentials, url: URL, headers: Headers): void {
  const { secrets, config } = credentials;
  switch (provider.authKind) {
    case "oauth2":
      if (secrets.accessToken) headers.set("Authorization", `Bearer ${secrets.accessToken}`);
      return;
    case "basic": {
      const username = config[provider.basicAuth.usernameField] ?? secrets[provider.basicAuth.usernameField] ?? "";
      const password = secrets[provider.basicAuth.passwordField] ?? "";
      headers.set("Authorization", basicAuthorization(username, password));
      return;
    }
    case "api_key":
      for (const placement of provider.placement) {
        const value = secrets[placement.field] ?? config[placement.field] ?? "";
        if (placement.in === "query") url.searchParams.set(placement.name, value);
        else headers.set(placement.name, `${placement.prefix ?? ""}${value}`);
      }
      return;
    case "webhook_url": {
      // The URL itself is the credential; a provider's hook may add an auth header (a custom webhook's mode).
      const extra = hooksOf(provider).webhookHeaders?.({ ...config, ...secrets }) ?? {};
      for (const [name, value] of Object.entries(extra)) headers.set(name, value);
      return;
    }
    default:
      provider satisfies never;
  }
}
