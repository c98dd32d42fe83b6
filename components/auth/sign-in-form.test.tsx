import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { SignInForm, validate } from "./sign-in-form";

const signIn = vi.fn();
const replace = vi.fn();
let search = "next=https://evil.example";
vi.mock("@convex-dev/auth/react", () => ({ useAuthActions: () => ({ signIn: (...a: unknown[]) => signIn(...a) }) }));
vi.mock("next/navigation", () => ({
  useRouter: () => ({ replace }),
  useSearchParams: () => new URLSearchParams(search),
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

  async function signInWith(next: string) {
    search = new URLSearchParams({ next }).toString();
    replace.mockClear();
    signIn.mockImplementation(async () => undefined);
    const { unmount } = render(<SignInForm />);
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "correct-pass-1");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await vi.waitFor(() => expect(replace).toHaveBeenCalledTimes(1));
    unmount();
    return replace.mock.calls[0]![0] as string;
  }

  test("goes on to ?next= when it is a path of this app", async () => {
    expect(await signInWith("/o/acme/settings/members?x=1#top")).toBe("/o/acme/settings/members?x=1#top");
  });

  test.each(["/..//evil.example", "/.//evil.example", "/%2e%2e//evil.example", "/\\evil.example", "https://evil.example"])(
    "never follows ?next=%s off the site, it goes to /orgs",
    async (next) => {
      expect(await signInWith(next)).toBe("/orgs");
    },
  );
});
