/**
 * Verifies the JWTs the app's `convex/auth.config.ts` accepts and turns them into
 * the `UserIdentity` a deployment would hand to functions.
 */
import type { UserIdentity } from "convex/server";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";

type OidcProvider = { type?: undefined; domain?: string; applicationID?: string };
type CustomJwtProvider = {
  type: "customJwt";
  issuer: string;
  jwks: string;
  algorithm?: string;
  applicationID?: string;
};
export type AuthProvider = OidcProvider | CustomJwtProvider;
export type AuthConfig = { providers?: AuthProvider[] };

/** Raised for a token the deployment would refuse; `message` is what the client sees. */
export class AuthenticationError extends Error {
  override name = "AuthenticationError";
}

const VERIFY_FAILED =
  "Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.";

// Claims the backend maps onto named `UserIdentity` fields.
const IDENTITY_FIELD_BY_CLAIM: Record<string, keyof UserIdentity> = {
  name: "name",
  given_name: "givenName",
  family_name: "familyName",
  nickname: "nickname",
  preferred_username: "preferredUsername",
  profile: "profileUrl",
  picture: "pictureUrl",
  email: "email",
  email_verified: "emailVerified",
  gender: "gender",
  birthdate: "birthday",
  zoneinfo: "timezone",
  locale: "language",
  phone_number: "phoneNumber",
  phone_number_verified: "phoneNumberVerified",
  address: "address",
  updated_at: "updatedAt",
};
const REGISTERED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "iat", "nbf", "jti"]);

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** The identity functions see for verified claims: `subject`, `issuer`, `tokenIdentifier`, profile and custom claims. */
export function identityFromClaims(claims: JWTPayload): UserIdentity {
  const identity: Record<string, unknown> = {
    subject: claims.sub,
    issuer: claims.iss,
    tokenIdentifier: `${claims.iss}|${claims.sub}`,
  };
  for (const [claim, value] of Object.entries(claims)) {
    if (REGISTERED_CLAIMS.has(claim)) continue;
    identity[IDENTITY_FIELD_BY_CLAIM[claim] ?? claim] = value;
  }
  return identity as UserIdentity;
}

export type VerifierOptions = {
  config: AuthConfig;
  /** The sandbox's own site URL: tokens it issues are checked against `localJwks()`. */
  siteUrl: string;
  /** The JWKS Convex Auth signs with (the `JWKS` env variable), read when needed. */
  localJwks: () => string | undefined;
};

/** Checks tokens against the configured providers, caching each provider's key set. */
export class TokenVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly options: VerifierOptions) {}

  /** The identity a valid token stands for; throws `AuthenticationError` otherwise. */
  async verify(token: string): Promise<UserIdentity> {
    return (await this.verifyWithExpiry(token)).identity;
  }

  /** Like `verify`, with when the token expires (ms since the epoch; Infinity without `exp`). */
  async verifyWithExpiry(token: string): Promise<{ identity: UserIdentity; expiresAtMs: number }> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new AuthenticationError("Could not parse as id token");
    }
    const provider = this.providerFor(claims);
    if (!provider) {
      const described = (this.options.config.providers ?? []).map(describeProvider).join(", ");
      throw new AuthenticationError(
        `No auth provider found matching the given token. Check that your JWT's issuer and audience match one of your configured providers: [${described}]`,
      );
    }
    try {
      const { payload } = await jwtVerify(token, await this.keySetFor(provider), {
        issuer: claims.iss,
        ...(provider.applicationID ? { audience: provider.applicationID } : {}),
        ...(provider.type === "customJwt" && provider.algorithm ? { algorithms: [provider.algorithm] } : {}),
      });
      if (typeof payload.sub !== "string" || typeof payload.iss !== "string") {
        throw new AuthenticationError("Token is missing the `sub` or `iss` claim");
      }
      return { identity: identityFromClaims(payload), expiresAtMs: payload.exp ? payload.exp * 1000 : Infinity };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError(`Token expired. ${VERIFY_FAILED}`);
      throw new AuthenticationError(VERIFY_FAILED);
    }
  }

  private providerFor(claims: JWTPayload): AuthProvider | undefined {
    const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    const audienceMatches = (applicationID?: string) => !applicationID || audiences.includes(applicationID);
    return (this.options.config.providers ?? []).find((provider) => {
      const issuer = provider.type === "customJwt" ? provider.issuer : provider.domain;
      return !!issuer && !!claims.iss && trimSlash(issuer) === trimSlash(claims.iss) && audienceMatches(provider.applicationID);
    });
  }

  private async keySetFor(provider: AuthProvider): Promise<JWTVerifyGetKey> {
    const issuer = trimSlash(provider.type === "customJwt" ? provider.issuer : provider.domain!);
    if (issuer === trimSlash(this.options.siteUrl)) {
      // Convex Auth serves `JWKS` from this very sandbox: read it straight from the env.
      const jwks = this.options.localJwks();
      if (!jwks) throw new AuthenticationError("The JWKS environment variable is not set");
      return createLocalJWKSet(JSON.parse(jwks) as JSONWebKeySet);
    }
    const cached = this.keySets.get(issuer);
    if (cached) return cached;
    const jwksUrl = provider.type === "customJwt" ? provider.jwks : await discoverJwksUri(issuer);
    const keySet = createRemoteJWKSet(new URL(jwksUrl));
    this.keySets.set(issuer, keySet);
    return keySet;
  }
}

async function discoverJwksUri(issuer: string): Promise<string> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
    if (!jwksUri) throw new Error("no jwks_uri");
    return jwksUri;
  } catch {
    throw new AuthenticationError(`Could not fetch the OpenID configuration of ${issuer}`);
  }
}

function describeProvider(provider: AuthProvider): string {
  return provider.type === "customJwt"
    ? `CustomJWT(issuer=${provider.issuer}, app_id=${provider.applicationID ?? "none"})`
    : `OIDC(domain=${provider.domain}, app_id=${provider.applicationID})`;
}
