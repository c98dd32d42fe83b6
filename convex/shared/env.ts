/**
 * The one seam between the Convex functions and the deployment's environment: the
 * vault's key ring, the site URL, OAuth clients, and whether providers are played
 * by the local simulator (which moves every provider URL and allows loopback
 * addresses). Each variable is validated where it is read. Helpers for actions and
 * mutations; not a function module.
 */
import { ConvexError } from "convex/values";
import { convexSiteEnv, EnvError, mailEnv, oauthClientEnvNames, readEnv, simulatorEnv, siteEnv } from "../../lib/env";
import { ErrorCode } from "../../lib/errors";
import { getProvider, resolveEndpoints, type Provider } from "../../lib/providers";
import { parseKeyRing, VaultConfigError, type KeyRing } from "../../lib/vault";
import type { MailConfig } from "../../lib/mail/message";
import type { OAuthClientCredentials } from "../../lib/oauth/client";
import type { OutboundUrlOptions } from "../../lib/ssrf";

let cachedRing: { raw: string | undefined; ring: KeyRing } | undefined;

/** The vault's key ring from `SWITCHBOARD_ENCRYPTION_KEYS`, parsed once per value. */
export function keyRing(): KeyRing {
  const raw = process.env.SWITCHBOARD_ENCRYPTION_KEYS;
  if (cachedRing?.raw !== raw || !cachedRing) {
    try {
      cachedRing = { raw, ring: parseKeyRing(raw) };
    } catch (error) {
      // The message names the variable and the problem, never key material.
      if (!(error instanceof VaultConfigError)) throw error;
      throw new ConvexError({ code: ErrorCode.MISCONFIGURED, message: `This deployment is misconfigured: ${error.message}` });
    }
  }
  return cachedRing.ring;
}

/**
 * Reads validated variables; a missing or malformed one becomes a coded error that
 * names it (never its value), so an operator sees what to set.
 */
function env<S extends Parameters<typeof readEnv>[0]>(schema: S): ReturnType<typeof readEnv<S>> {
  try {
    return readEnv(schema);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    throw new ConvexError({ code: ErrorCode.MISCONFIGURED, message: `This deployment is misconfigured: ${error.message}` });
  }
}

let cachedSimulator: { raw: string | undefined; url: string | undefined } | undefined;

/**
 * The provider simulator's base URL when the deployment runs against it, else
 * undefined; validated once per value (every call asks, several times: reading and
 * checking the whole environment each time cost more than the rest of a call's checks).
 */
function simulatorBaseUrl(): string | undefined {
  const raw = process.env.SWITCHBOARD_PROVIDER_SIMULATOR_URL;
  if (cachedSimulator?.raw !== raw || !cachedSimulator) {
    cachedSimulator = { raw, url: env(simulatorEnv).SWITCHBOARD_PROVIDER_SIMULATOR_URL };
  }
  return cachedSimulator.url;
}

/** True while every provider is played by the local provider simulator. */
export function providersSimulated(): boolean {
  return simulatorBaseUrl() !== undefined;
}

/**
 * What outbound URLs may be: loopback addresses are allowed only while the simulator
 * (which lives on 127.0.0.1) plays the providers.
 */
export function outboundUrlOptions(): OutboundUrlOptions {
  return { allowLoopback: providersSimulated() };
}

// Catalog entries pointed at the simulator, per simulator URL: rewriting every endpoint on each call is work for nothing.
const simulatedProviders = new Map<string, Provider>();

/** A catalog provider with its endpoints pointed at the simulator when it is on, or null. */
export function resolvedProvider(providerId: string): Provider | null {
  const provider = getProvider(providerId);
  const simulator = simulatorBaseUrl();
  if (!provider || simulator === undefined) return provider ?? null;
  const key = `${simulator} ${provider.id}`;
  let resolved = simulatedProviders.get(key);
  if (!resolved) {
    if (simulatedProviders.size > 1_000) simulatedProviders.clear();
    simulatedProviders.set(key, (resolved = resolveEndpoints(provider, { simulatorBaseUrl: simulator })));
  }
  return resolved;
}

/** Like `resolvedProvider`, but an unknown id is a coded NOT_FOUND error. */
export function providerOrThrow(providerId: string): Provider {
  const provider = resolvedProvider(providerId);
  if (!provider) {
    throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: `There is no provider called "${providerId}".` });
  }
  return provider;
}

/** The URL a provider delivers webhooks to: `/webhooks/<providerId>[/<endpointId>]` on the deployment's HTTP actions URL. */
export function inboundWebhookUrl(providerId: string, endpointPublicId?: string): string {
  const base = env(convexSiteEnv).CONVEX_SITE_URL.replace(/\/+$/, "");
  return `${base}/webhooks/${providerId}${endpointPublicId ? `/${endpointPublicId}` : ""}`;
}

/** The app's public URL (for OAuth redirect URIs). */
export function siteUrl(): string {
  return env(siteEnv).SITE_URL.replace(/\/+$/, "");
}

/**
 * The OAuth client for a provider: `<PROVIDER>_CLIENT_ID` and `_CLIENT_SECRET`, or the
 * simulator's well-known test client while the simulator is on.
 */
export function oauthClientFor(provider: Provider): OAuthClientCredentials {
  const names = oauthClientEnvNames(provider.id);
  const simulated = providersSimulated();
  const clientId = process.env[names.clientId] || (simulated ? `sim-${provider.id}-client` : "");
  const clientSecret = process.env[names.clientSecret] || (simulated ? `sim-${provider.id}-secret` : "");
  if (!clientId || !clientSecret) {
    throw new ConvexError({
      code: ErrorCode.PROVIDER_NOT_CONFIGURED,
      message: `${provider.displayName} is not set up on this deployment: set ${names.clientId} and ${names.clientSecret}.`,
    });
  }
  return { clientId, clientSecret, redirectUri: `${siteUrl()}/api/integrations/${provider.id}/callback` };
}

/**
 * The HTTP email API (`SWITCHBOARD_MAIL_API_URL`, `_KEY`, `SWITCHBOARD_MAIL_FROM`); a missing
 * or malformed one is a MISCONFIGURED error naming it, never showing the key.
 */
export function mailConfig(): MailConfig {
  return env(mailEnv);
}
