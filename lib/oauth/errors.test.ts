import { describe, expect, test } from "vitest";
import { classifyProviderError, OAUTH_FAILURES, OAuthError } from "./errors";

describe("classifyProviderError", () => {
  test.each([
    "invalid_grant",
    "invalid_code",
    "bad_verification_code",
    "code_already_used",
    "invalid_refresh_token",
    "bad_refresh_token",
    "token_revoked",
    "token_expired",
    "expired_token",
  ])("%s means the grant is dead: reconnect", (code) => {
    expect(classifyProviderError(code)).toBe("invalid_grant");
  });

  test.each(["invalid_client", "incorrect_client_credentials", "unauthorized_client", "redirect_uri_mismatch", "bad_redirect_uri", "invalid_client_id"])(
    "%s means the OAuth app is misconfigured",
    (code) => {
      expect(classifyProviderError(code)).toBe("invalid_client");
    },
  );

  test.each(["temporarily_unavailable", "ratelimited", "rate_limited"])("%s means try later", (code) => {
    expect(classifyProviderError(code)).toBe("unavailable");
  });

  test.each(["", "invalid_request", "INVALID_GRANT", "access_denied"])("%j is an answer we cannot act on", (code) => {
    expect(classifyProviderError(code)).toBe("bad_response");
  });
});

describe("OAuthError", () => {
  test("keeps what the app acts on, its name and its cause", () => {
    const cause = new TypeError("fetch failed");
    const error = new OAuthError("network", "GitHub could not be reached.", { status: 502, providerError: "x", retryAfterSeconds: 9, cause });
    expect(error).toMatchObject({ name: "OAuthError", failure: "network", status: 502, providerError: "x", retryAfterSeconds: 9 });
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe("OAuthError: GitHub could not be reached.");
  });

  test("only an unavailable provider or a network failure is worth retrying", () => {
    const retryable = OAUTH_FAILURES.filter((failure) => new OAuthError(failure, "m").retryable);
    expect(retryable).toEqual(["unavailable", "network"]);
  });
});
