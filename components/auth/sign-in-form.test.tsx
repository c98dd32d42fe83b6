import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import { estimateStrength } from "@/lib/password-strength";
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
    ["signIn", "nope", "x", "email", "Enter a valid email address."],
    ["signIn", "a@b.co", "", "password", "Enter your password."],
    ["signUp", "a@b.co", "short1", "password", "Use at least 8 characters."],
    ["signUp", "ann@b.co", "ann@b.co", "password", "Don't use your email address as your password."],
  ] as const)("%s with %s / %s is a problem with the %s: %s", (flow, email, password, field, message) => {
    expect(validate(flow, email, password)).toEqual({ field, message });
  });

  test("a sign-up judges strength with the estimator it is given", () => {
    expect(validate("signUp", "a@b.co", "password1", { estimator: estimateStrength })).toEqual({
      field: "password",
      message: "This is a commonly used password. Add another word or two that are less common.",
    });
    expect(validate("signUp", "a@b.co", "password1")).toBeNull();
  });

  test("a good sign-up passes; sign-in does not judge password strength", () => {
    expect(validate("signUp", "a@b.co", "correct-horse-1", { estimator: estimateStrength })).toBeNull();
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

  test("sign-up shows how strong the password is as it is typed, and refuses a common one with the reason", async () => {
    signIn.mockClear();
    render(<SignInForm />);
    await userEvent.click(screen.getByRole("button", { name: /create an account/i }));
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    const password = screen.getByLabelText("Password");
    await userEvent.type(password, "password1");
    await vi.waitFor(() => expect(screen.getByTestId("password-strength")).toHaveTextContent("This is a commonly used password."));
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    // Refused on the field: marked invalid, focused, described by the line that says why.
    await vi.waitFor(() => expect(password).toHaveAttribute("aria-invalid", "true"));
    expect(password).toHaveFocus();
    expect(password.getAttribute("aria-describedby")).toBe("password-strength");
    expect(document.getElementById("password-strength")).toHaveTextContent("This is a commonly used password. Add another word or two that are less common.");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(signIn).not.toHaveBeenCalled();

    await userEvent.clear(password);
    await userEvent.type(password, "violet-kettle-51");
    await vi.waitFor(() => expect(screen.getByTestId("password-strength")).toHaveTextContent("Good to go."));
    expect(password).not.toHaveAttribute("aria-invalid");
  });

  test("Forgot password? asks for a code, then signs in with the code and a new password", async () => {
    signIn.mockReset();
    signIn.mockImplementation(async () => undefined);
    replace.mockClear();
    search = "";
    render(<SignInForm />);
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Forgot password?" }));
    expect(screen.getByText("Reset your password")).toBeInTheDocument();
    // The email typed on the sign-in form carries over.
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Send reset code" }));
    expect(signIn).toHaveBeenLastCalledWith("password", { email: "ada@example.com", flow: "reset" });
    expect(await screen.findByText(/has an account, we sent it a code of 8 digits\. It works for 15 minutes\./)).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText("Code"), "1234");
    await userEvent.type(screen.getByLabelText("New password"), "violet-kettle-51");
    await userEvent.click(screen.getByRole("button", { name: "Reset password and sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Enter the 8-digit code from the email.");
    expect(screen.getByLabelText("Code")).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(screen.getByLabelText("Code"));
    await userEvent.type(screen.getByLabelText("Code"), "1234 5678");
    await userEvent.click(screen.getByRole("button", { name: "Reset password and sign in" }));
    await vi.waitFor(() => expect(replace).toHaveBeenCalledWith("/orgs"));
    expect(signIn).toHaveBeenLastCalledWith("password", {
      email: "ada@example.com",
      code: "12345678",
      newPassword: "violet-kettle-51",
      flow: "reset-verification",
    });
  });

  test("a wrong code shows the server's message and keeps the form", async () => {
    signIn.mockReset();
    signIn.mockImplementationOnce(async () => undefined).mockImplementationOnce(async () => {
      throw new Error('Uncaught ConvexError: {"code":"INVALID_CODE","message":"That code is wrong or has expired."}');
    });
    render(<SignInForm />);
    await userEvent.click(screen.getByRole("button", { name: "Forgot password?" }));
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Send reset code" }));
    await userEvent.type(await screen.findByLabelText("Code"), "00000000");
    await userEvent.type(screen.getByLabelText("New password"), "violet-kettle-51");
    await userEvent.click(screen.getByRole("button", { name: "Reset password and sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That code is wrong or has expired.");
    expect(screen.getByLabelText("Code")).toHaveValue("00000000");
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
