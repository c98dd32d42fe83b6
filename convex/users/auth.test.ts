import { describe, expect, test } from "vitest";
import { api } from "../_generated/api";
import { errorOf, setupBackend } from "../test.helpers";

const signUp = (email: string, password: string) =>
  ({ provider: "password", params: { email, password, flow: "signUp" } }) as const;
const signInWith = (email: string, password: string) =>
  ({ provider: "password", params: { email, password, flow: "signIn" } }) as const;

describe("password sign-in through api.auth.signIn", () => {
  test("signing up returns tokens whose subject is the new user", async () => {
    const t = await setupBackend();
    const result = await t.action(api.auth.signIn, signUp("Ada@Example.com ", "correct-horse-1"));
    expect(result.tokens?.token).toBeTruthy();
    expect(result.tokens?.refreshToken).toBeTruthy();

    const payload = JSON.parse(atob(result.tokens!.token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    const viewer = await t.withIdentity({ subject: payload.sub }).query(api.users.viewer.get, {});
    expect(viewer?.email).toBe("ada@example.com");
  });

  test("signing in with the right password works, the wrong one is INVALID_CREDENTIALS", async () => {
    const t = await setupBackend();
    await t.action(api.auth.signIn, signUp("bob@example.com", "correct-horse-1"));
    const ok = await t.action(api.auth.signIn, signInWith("bob@example.com", "correct-horse-1"));
    expect(ok.tokens?.token).toBeTruthy();

    const wrong = await errorOf(t.action(api.auth.signIn, signInWith("bob@example.com", "wrong-horse-1")));
    expect(wrong.code).toBe("INVALID_CREDENTIALS");
  });

  test("an unknown email gets the same answer as a wrong password", async () => {
    const t = await setupBackend();
    const error = await errorOf(t.action(api.auth.signIn, signInWith("nobody@example.com", "whatever-1")));
    expect(error).toEqual({ code: "INVALID_CREDENTIALS", message: "Wrong email or password." });
  });

  test("signing up twice with one email is ACCOUNT_EXISTS", async () => {
    const t = await setupBackend();
    await t.action(api.auth.signIn, signUp("carol@example.com", "correct-horse-1"));
    const error = await errorOf(t.action(api.auth.signIn, signUp("CAROL@example.com", "other-horse-2")));
    expect(error.code).toBe("ACCOUNT_EXISTS");
  });

  test.each([
    ["short1", "Use at least 8 characters."],
    ["password1", "This is a commonly used password. Add another word or two that are less common."],
    ["qwerty123", "This is a commonly used password. Add another word or two that are less common."],
    ["dan@example.com", "Don't use your email address as your password."],
  ])("a weak password (%s) is WEAK_PASSWORD, says why and creates no account", async (password, hint) => {
    const t = await setupBackend();
    const error = await errorOf(t.action(api.auth.signIn, signUp("dan@example.com", password)));
    expect(error).toEqual({ code: "WEAK_PASSWORD", message: hint });
    const users = await t.run((ctx) => ctx.db.query("users").collect());
    expect(users).toHaveLength(0);
  });

  test("a sign-up or reset without a password string is WEAK_PASSWORD, not a server error", async () => {
    const t = await setupBackend();
    const missing = await errorOf(t.action(api.auth.signIn, { provider: "password", params: { email: "dan@example.com", flow: "signUp" } }));
    expect(missing).toEqual({ code: "WEAK_PASSWORD", message: "Enter a password." });
    const number = await errorOf(
      t.action(api.auth.signIn, { provider: "password", params: { email: "dan@example.com", code: "12345678", newPassword: 12345678, flow: "reset-verification" } }),
    );
    expect(number.code).toBe("WEAK_PASSWORD");
  });

  test("a malformed email is INVALID_EMAIL", async () => {
    const t = await setupBackend();
    const error = await errorOf(t.action(api.auth.signIn, signUp("not-an-email", "correct-horse-1")));
    expect(error.code).toBe("INVALID_EMAIL");
  });

  test("anonymous viewers get null", async () => {
    const t = await setupBackend();
    expect(await t.query(api.users.viewer.get, {})).toBeNull();
  });
});
