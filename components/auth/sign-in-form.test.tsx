import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { SignInForm, validate } from "./sign-in-form";

const signIn = vi.fn();
vi.mock("@convex-dev/auth/react", () => ({ useAuthActions: () => ({ signIn: (...a: unknown[]) => signIn(...a) }) }));
vi.mock("next/navigation", () => ({
  useRouter: () => ({ replace: vi.fn() }),
  useSearchParams: () => new URLSearchParams("next=https://evil.example"),
}));

describe("validate", () => {
  test.each([
    ["signIn", "nope", "x", "Enter a valid email address."],
    ["signIn", "a@b.co", "", "Enter your password."],
    ["signUp", "a@b.co", "short1", "Use at least 8 characters."],
    ["signUp", "a@b.co", "lettersonly", "Use at least one letter and one digit or symbol."],
  ] as const)("%s with %s / %s says %s", (flow, email, password, message) => {
    expect(validate(flow, email, password)).toBe(message);
  });

  test("a good sign-up passes; sign-in does not judge password strength", () => {
    expect(validate("signUp", "a@b.co", "correct-horse-1")).toBeNull();
    expect(validate("signIn", "a@b.co", "short")).toBeNull();
  });
});

describe("SignInForm", () => {
  test("shows the server's coded message, e.g. a wrong password", async () => {
    signIn.mockImplementation(async () => {
      throw new Error('Uncaught ConvexError: {"code":"INVALID_CREDENTIALS","message":"Wrong email or password."}');
    });
    render(<SignInForm />);
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "wrong-pass-1");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
  });

  test("switches to sign-up, which asks for a name", async () => {
    render(<SignInForm />);
    await userEvent.click(screen.getByRole("button", { name: /create an account/i }));
    expect(screen.getByLabelText("Name")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create account" })).toBeInTheDocument();
  });
});
