import { afterEach, beforeEach, describe, expect, inject, test, vi } from "vitest";
import { MAIL_API_PREFIX, SIM_MAIL_API_KEY, type SentMail } from "../../tools/provider-simulator/mail";
import { api } from "../_generated/api";
import { errorOf, setupWithSimulator, type Backend } from "../test.helpers";

const simulatorUrl = inject("simulatorUrl");
// Each sign-up and sign-in hashes with scrypt, and the first estimate ranks zxcvbn's dictionaries.
const SLOW_MS = 30_000;
const FROM = "Switchboard <no-reply@switchboard.test>";
const OLD = "violet-kettle-51";
const NEW = "amber-lantern-harbor";

type Simulator = Awaited<ReturnType<typeof setupWithSimulator>>["simulator"];
let t: Backend;
let simulator: Simulator;

beforeEach(async () => {
  process.env.SWITCHBOARD_MAIL_API_URL = `${simulatorUrl}${MAIL_API_PREFIX}`;
  process.env.SWITCHBOARD_MAIL_API_KEY = SIM_MAIL_API_KEY;
  process.env.SWITCHBOARD_MAIL_FROM = FROM;
  ({ t, simulator } = await setupWithSimulator(simulatorUrl));
});

afterEach(() => {
  vi.useRealTimers();
  delete process.env.SWITCHBOARD_MAIL_API_URL;
  delete process.env.SWITCHBOARD_MAIL_API_KEY;
  delete process.env.SWITCHBOARD_MAIL_FROM;
});

const signIn = (params: Record<string, string>) => t.action(api.auth.signIn, { provider: "password", params });

async function signUp(email: string, password = OLD) {
  await signIn({ email, password, flow: "signUp" });
}

/** The code in the newest mail to `to`, read back from the simulator like a person would. */
async function codeFor(to: string): Promise<{ code: string; mail: SentMail }> {
  const [mail] = (await simulator.sentMail({ to })) as SentMail[];
  if (!mail) throw new Error(`no mail to ${to}`);
  const code = /Your code: ([0-9]{8})/.exec(mail.text ?? "")?.[1];
  if (!code) throw new Error(`no code in ${mail.text}`);
  return { code, mail };
}

describe("password reset by emailed code", () => {
  test("asking sends a code by email; the code and a new password sign in; the old password stops working", async () => {
    await signUp("ada@example.com");
    const asked = await signIn({ email: "Ada@Example.com ", flow: "reset" });
    expect(asked.tokens ?? null).toBeNull();

    const { code, mail } = await codeFor("ada@example.com");
    expect(mail.from).toBe(FROM);
    expect(mail.subject).toBe("Your Switchboard password reset code");
    expect(mail.text).toContain("within 15 minutes");
    expect(mail.html).toContain(code);

    const reset = await signIn({ email: "ada@example.com", code, newPassword: NEW, flow: "reset-verification" });
    expect(reset.tokens?.token).toBeTruthy();

    expect((await errorOf(signIn({ email: "ada@example.com", password: OLD, flow: "signIn" }))).code).toBe("INVALID_CREDENTIALS");
    expect((await signIn({ email: "ada@example.com", password: NEW, flow: "signIn" })).tokens?.token).toBeTruthy();
    // The code was spent.
    expect((await errorOf(signIn({ email: "ada@example.com", code, newPassword: "other-lantern-77", flow: "reset-verification" }))).code).toBe("INVALID_CODE");
  }, SLOW_MS);

  test("no code is stored in the clear", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    const stored = await t.run((ctx) => ctx.db.query("authVerificationCodes").collect());
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  test("a wrong code is INVALID_CODE, says codes expire, and changes nothing", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    const wrong = code === "00000000" ? "00000001" : "00000000";
    const error = await errorOf(signIn({ email: "ada@example.com", code: wrong, newPassword: NEW, flow: "reset-verification" }));
    expect(error).toEqual({
      code: "INVALID_CODE",
      message: "That code is wrong or has expired (codes work for 15 minutes). Check the latest email, or ask for a new code.",
    });
    expect((await signIn({ email: "ada@example.com", password: OLD, flow: "signIn" })).tokens?.token).toBeTruthy();
  });

  test("an expired code is refused", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    vi.useFakeTimers({ now: Date.now() + 15 * 60_000 + 1_000, toFake: ["Date"] });
    expect((await errorOf(signIn({ email: "ada@example.com", code, newPassword: NEW, flow: "reset-verification" }))).code).toBe("INVALID_CODE");
    vi.useRealTimers();
    expect((await signIn({ email: "ada@example.com", password: OLD, flow: "signIn" })).tokens?.token).toBeTruthy();
  });

  test("a code only works for the email it was sent to", async () => {
    await signUp("ada@example.com");
    await signUp("bob@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    expect((await errorOf(signIn({ email: "bob@example.com", code, newPassword: NEW, flow: "reset-verification" }))).code).toBe("INVALID_CODE");
    expect((await signIn({ email: "bob@example.com", password: OLD, flow: "signIn" })).tokens?.token).toBeTruthy();
  });

  test("asking again after a minute replaces the code: the first one stops working", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const first = (await codeFor("ada@example.com")).code;
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    await signIn({ email: "ada@example.com", flow: "reset" });
    expect(await simulator.sentMail({ to: "ada@example.com" })).toHaveLength(2);
    const second = (await codeFor("ada@example.com")).code;
    if (first !== second) {
      expect((await errorOf(signIn({ email: "ada@example.com", code: first, newPassword: NEW, flow: "reset-verification" }))).code).toBe("INVALID_CODE");
    }
    expect((await signIn({ email: "ada@example.com", code: second, newPassword: NEW, flow: "reset-verification" })).tokens?.token).toBeTruthy();
  });

  test("at most one email a minute per account: asking again sooner answers the same and sends nothing", async () => {
    await signUp("ada@example.com");
    const first = await signIn({ email: "ada@example.com", flow: "reset" });
    const again = await signIn({ email: "ADA@example.com", flow: "reset" });
    expect(again).toEqual(first);
    const mails = await simulator.sentMail({ to: "ada@example.com" });
    expect(mails).toHaveLength(1);
    // The code that did go out still works.
    const { code } = await codeFor("ada@example.com");
    expect((await signIn({ email: "ada@example.com", code, newPassword: NEW, flow: "reset-verification" })).tokens?.token).toBeTruthy();
  });

  test("wrong codes are bounded: after 10 an hour even the right code is refused", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    const wrong = code === "00000000" ? "00000001" : "00000000";
    for (let i = 0; i < 10; i++) {
      // Spelled differently each time: the budget is per person, not per spelling.
      const email = i % 2 ? "ADA@example.com" : "ada@example.com";
      expect((await errorOf(signIn({ email, code: wrong, newPassword: NEW, flow: "reset-verification" }))).code).toBe("INVALID_CODE");
    }
    expect((await errorOf(signIn({ email: "ada@example.com", code, newPassword: NEW, flow: "reset-verification" }))).code).toBe("INVALID_CODE");
  });

  test("an unknown email is answered exactly like a known one, and no mail goes out", async () => {
    await signUp("ada@example.com");
    const known = await signIn({ email: "ada@example.com", flow: "reset" });
    const unknown = await signIn({ email: "nobody@example.com", flow: "reset" });
    expect(unknown).toEqual(known);
    expect(await simulator.sentMail({ to: "nobody@example.com" })).toEqual([]);
    // Guessing a code for it says what a wrong code says.
    const error = await errorOf(signIn({ email: "nobody@example.com", code: "12345678", newPassword: NEW, flow: "reset-verification" }));
    expect(error.code).toBe("INVALID_CODE");
    const users = await t.run((ctx) => ctx.db.query("users").collect());
    expect(users.map((u) => u.email)).toEqual(["ada@example.com"]);
  });

  test("the new password must meet the rule, with the reason, and the code survives a refusal", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    const weak = await errorOf(signIn({ email: "ada@example.com", code, newPassword: "password1", flow: "reset-verification" }));
    expect(weak).toEqual({ code: "WEAK_PASSWORD", message: "This is a commonly used password. Add another word or two that are less common." });
    const own = await errorOf(signIn({ email: "ada@example.com", code, newPassword: "ada@example.com", flow: "reset-verification" }));
    expect(own.message).toBe("Don't use your email address as your password.");
    expect((await signIn({ email: "ada@example.com", code, newPassword: NEW, flow: "reset-verification" })).tokens?.token).toBeTruthy();
  });

  test("resetting signs out every other session", async () => {
    await signUp("ada@example.com");
    await signIn({ email: "ada@example.com", password: OLD, flow: "signIn" });
    expect(await t.run((ctx) => ctx.db.query("authSessions").collect())).toHaveLength(2);
    await signIn({ email: "ada@example.com", flow: "reset" });
    const { code } = await codeFor("ada@example.com");
    await signIn({ email: "ada@example.com", code, newPassword: NEW, flow: "reset-verification" });
    expect(await t.run((ctx) => ctx.db.query("authSessions").collect())).toHaveLength(1);
  }, SLOW_MS);
});

describe("the mail configuration", () => {
  test("a missing variable is MISCONFIGURED naming it, for known and unknown emails alike", async () => {
    await signUp("ada@example.com");
    delete process.env.SWITCHBOARD_MAIL_FROM;
    for (const email of ["ada@example.com", "nobody@example.com"]) {
      const error = await errorOf(signIn({ email, flow: "reset" }));
      expect(error.code).toBe("MISCONFIGURED");
      expect(error.message).toContain("SWITCHBOARD_MAIL_FROM is not set");
    }
  });

  test("a key the email API refuses is a plain 'could not send', never the key", async () => {
    await signUp("ada@example.com");
    process.env.SWITCHBOARD_MAIL_API_KEY = "re_not_the_right_key_123";
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = await errorOf(signIn({ email: "ada@example.com", flow: "reset" }));
    expect(error).toEqual({ code: "PROVIDER_UNAVAILABLE", message: "We could not send the email just now. Try again in a minute." });
    const logged = warn.mock.calls.flat().join(" ");
    expect(logged).toContain("HTTP 403 invalid_api_key");
    expect(logged).not.toContain("re_not_the_right_key_123");
    warn.mockRestore();
  });

  test("an email API URL outside what may be reached is MISCONFIGURED", async () => {
    await signUp("ada@example.com");
    process.env.SWITCHBOARD_MAIL_API_URL = "http://169.254.169.254/latest";
    const error = await errorOf(signIn({ email: "ada@example.com", flow: "reset" }));
    expect(error.code).toBe("MISCONFIGURED");
    expect(error.message).toContain("SWITCHBOARD_MAIL_API_URL");
  });
});
