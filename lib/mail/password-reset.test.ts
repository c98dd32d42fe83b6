import { describe, expect, it } from "vitest";
import { generateResetCode, passwordResetMessage, RESET_CODE_DIGITS, RESET_CODE_LIFETIME_MINUTES } from "./password-reset";

describe("generateResetCode", () => {
  it("makes 8 digits from the bytes it is given", () => {
    expect(RESET_CODE_DIGITS).toBe(8);
    expect(generateResetCode(() => new Uint8Array([0, 1, 2, 3, 4, 5, 6, 249]))).toBe("01234569");
  });

  it("throws away bytes of 250 and more, and asks again until it has enough", () => {
    const batches = [
      [250, 255, 251, 12, 13, 14, 252, 253],
      [25, 26, 27, 28, 29, 30, 31, 32],
    ];
    const asked: number[] = [];
    const code = generateResetCode((n) => {
      asked.push(n);
      return new Uint8Array(batches.shift()!);
    });
    expect(code).toBe("23456789");
    expect(asked).toEqual([8, 8]);
  });

  it("uses crypto's randomness by default", () => {
    const codes = new Set(Array.from({ length: 50 }, () => generateResetCode()));
    for (const code of codes) expect(code).toMatch(/^[0-9]{8}$/);
    expect(codes.size).toBeGreaterThan(45);
  });
});

describe("passwordResetMessage", () => {
  // Built in each test, not once for the block: what runs while tests are collected counts for none of them.
  const build = () => passwordResetMessage({ from: "Switchboard <no-reply@example.com>", to: "ada@example.com", code: "12345678", siteUrl: "http://localhost:3000" });

  it("is from the sender to the person, with the code out of the subject", () => {
    const message = build();
    expect(message.from).toBe("Switchboard <no-reply@example.com>");
    expect(message.to).toBe("ada@example.com");
    expect(message.subject).toBe("Your Switchboard password reset code");
  });

  it("says the code, where to enter it, when it expires and what to do if you did not ask", () => {
    const message = build();
    expect(RESET_CODE_LIFETIME_MINUTES).toBe(15);
    expect(message.text).toBe(
      [
        "Someone asked to reset the password of your Switchboard account.",
        "",
        "Your code: 12345678",
        "",
        "Enter it on the sign-in page (http://localhost:3000/signin) within 15 minutes, together with your new password.",
        "If you did not ask for this, ignore this email: your password stays as it is.",
      ].join("\n"),
    );
    expect(message.html).toBe(
      [
        "<p>Someone asked to reset the password of your Switchboard account.</p>",
        "<p>Your code:</p>",
        '<p style="font-size:24px;font-weight:600;letter-spacing:4px;font-family:monospace">12345678</p>',
        '<p>Enter it on the <a href="http://localhost:3000/signin">sign-in page</a> within 15 minutes, together with your new password.</p>',
        "<p>If you did not ask for this, ignore this email: your password stays as it is.</p>",
      ].join("\n"),
    );
  });

  it("escapes what it puts into the HTML", () => {
    const odd = passwordResetMessage({ from: "a@b.co", to: "a@b.co", code: "<b>1</b>", siteUrl: 'http://x/"><script>' });
    expect(odd.html).not.toContain("<script>");
    expect(odd.html).not.toContain("<b>1</b>");
    expect(odd.html).toContain("&lt;b&gt;1&lt;/b&gt;");
  });
});
