"use client";

import { useAuthActions } from "@convex-dev/auth/react";
import { useRef, useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { errorMessage } from "@/lib/error-messages";
import { RESET_CODE_DIGITS, RESET_CODE_LIFETIME_MINUTES } from "@/lib/mail/password-reset";
import { judgePassword, normalizeEmail, refusalMessage } from "@/lib/passwords";
import { loadStrengthEstimator, PasswordStrengthMeter, usePasswordVerdict } from "./password-strength";

type Field = "email" | "code" | "newPassword";
type Problem = { field: Field | null; message: string };

/**
 * "Forgot password?": ask for a code by email, then enter it with a new password, which
 * signs in. The first step never says whether the email has an account.
 */
export function ResetPasswordForm(props: { initialEmail: string; onSignedIn: () => void; onBack: () => void }) {
  const { signIn } = useAuthActions();
  const [step, setStep] = useState<"request" | "verify">("request");
  const [email, setEmail] = useState(props.initialEmail);
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const verdict = usePasswordVerdict(newPassword, { email }, step === "verify");

  async function run(action: () => Promise<void>, fallback: string) {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (e) {
      setProblem({ field: null, message: errorMessage(e, fallback) });
    } finally {
      setBusy(false);
    }
  }

  async function sendCode() {
    const normalized = normalizeEmail(email);
    if (!normalized) return setProblem({ field: "email", message: "Enter a valid email address." });
    await run(async () => {
      await signIn("password", { email: normalized, flow: "reset" });
      setCode("");
      setNotice(step === "verify" ? "A new code is on its way (at most one a minute). Only the newest one works." : null);
      setStep("verify");
    }, "Could not send a code. Try again.");
  }

  async function onRequest(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await sendCode();
  }

  async function onVerify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const digits = code.replace(/\s+/g, "");
    if (!new RegExp(`^[0-9]{${RESET_CODE_DIGITS}}$`).test(digits)) {
      return setProblem({ field: "code", message: `Enter the ${RESET_CODE_DIGITS}-digit code from the email.` });
    }
    const judged = judgePassword(newPassword, await loadStrengthEstimator().catch(() => null), { email });
    if (!judged.ok) {
      // The strength line under the field says why; focus brings it back to the reader.
      setProblem({ field: "newPassword", message: refusalMessage(judged) });
      return passwordInput.current?.focus();
    }
    await run(async () => {
      await signIn("password", { email: normalizeEmail(email) ?? email, code: digits, newPassword, flow: "reset-verification" });
      props.onSignedIn();
    }, "Could not reset the password. Try again.");
  }

  // A refused new password is explained by its strength line, not a second time here.
  const errorAlert = problem && problem.field !== "newPassword" && (
    <Alert variant="destructive" id="reset-error">
      <AlertDescription>{problem.message}</AlertDescription>
    </Alert>
  );
  const invalid = (field: Field) => ({
    "aria-invalid": problem?.field === field || undefined,
    "aria-describedby": problem?.field === field ? "reset-error" : undefined,
  });

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle as="h1" className="text-xl">Reset your password</CardTitle>
        <CardDescription>
          {step === "request" ? (
            "Enter your account's email. We will send you a code to set a new password."
          ) : (
            <>
              If <span className="text-foreground font-medium break-all">{normalizeEmail(email) ?? email}</span> has an account, we sent it a code of{" "}
              {RESET_CODE_DIGITS} digits. It works for {RESET_CODE_LIFETIME_MINUTES} minutes.
            </>
          )}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {step === "request" ? (
          <form onSubmit={onRequest} className="grid gap-4" noValidate aria-label="Request a reset code">
            <div className="grid gap-2">
              <Label htmlFor="reset-email">Email</Label>
              <Input
                id="reset-email"
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                {...invalid("email")}
              />
            </div>
            {errorAlert}
            <Button type="submit" disabled={busy}>
              {busy ? "Sending code…" : "Send reset code"}
            </Button>
            <Button type="button" variant="link" onClick={props.onBack}>
              Back to sign in
            </Button>
          </form>
        ) : (
          <form onSubmit={onVerify} className="grid gap-4" noValidate aria-label="Reset with the emailed code">
            {notice && (
              <p className="text-muted-foreground text-sm" role="status">
                {notice}
              </p>
            )}
            <div className="grid gap-2">
              <Label htmlFor="reset-code">Code</Label>
              <Input
                id="reset-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={RESET_CODE_DIGITS + 4}
                required
                value={code}
                onChange={(e) => setCode(e.target.value)}
                {...invalid("code")}
              />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="reset-password">New password</Label>
              <Input
                ref={passwordInput}
                id="reset-password"
                type="password"
                autoComplete="new-password"
                required
                value={newPassword}
                onChange={(e) => setNewPassword(e.target.value)}
                aria-invalid={problem?.field === "newPassword" || undefined}
                aria-describedby="reset-password-strength"
              />
              <PasswordStrengthMeter id="reset-password-strength" password={newPassword} verdict={verdict} />
            </div>
            {errorAlert}
            <Button type="submit" disabled={busy}>
              {busy ? "Resetting…" : "Reset password and sign in"}
            </Button>
            <div className="flex flex-wrap justify-between gap-2">
              <Button type="button" variant="link" className="h-auto p-0" disabled={busy} onClick={() => void sendCode()}>
                Send a new code
              </Button>
              <Button
                type="button"
                variant="link"
                className="h-auto p-0"
                onClick={() => {
                  setStep("request");
                  setProblem(null);
                  setNotice(null);
                }}
              >
                Use another email
              </Button>
            </div>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
