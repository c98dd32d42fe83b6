"use client";

import { useAuthActions } from "@convex-dev/auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { judgePassword, normalizeEmail, refusalMessage, type StrengthEstimator } from "@/lib/passwords";
import { errorMessage } from "@/lib/error-messages";
import { safeRelativePath } from "@/lib/safe-redirect";
import { loadStrengthEstimator, PasswordStrengthMeter, usePasswordVerdict } from "./password-strength";
import { ResetPasswordForm } from "./reset-password-form";

type Flow = "signIn" | "signUp";
type Mode = Flow | "reset";

/** Sign in, create an account, or reset a forgotten password, with email and password. */
export function SignInForm() {
  const router = useRouter();
  const next = safeRelativePath(useSearchParams().get("next"), "/orgs");
  const [mode, setMode] = useState<Mode>("signIn");
  const [email, setEmail] = useState("");

  if (mode === "reset") {
    return <ResetPasswordForm initialEmail={email} onSignedIn={() => router.replace(next)} onBack={() => setMode("signIn")} />;
  }
  return (
    <PasswordForm
      key={mode}
      flow={mode}
      email={email}
      onEmailChange={setEmail}
      onSignedIn={() => router.replace(next)}
      onSwitch={(to) => setMode(to)}
    />
  );
}

function PasswordForm(props: {
  flow: Flow;
  email: string;
  onEmailChange: (email: string) => void;
  onSignedIn: () => void;
  onSwitch: (to: Mode) => void;
}) {
  const { flow, email } = props;
  const { signIn } = useAuthActions();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<"email" | "password" | null>(null);
  const [busy, setBusy] = useState(false);
  const signingUp = flow === "signUp";
  const passwordInput = useRef<HTMLInputElement>(null);
  const verdict = usePasswordVerdict(password, { email, name }, signingUp);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // Wait for the estimator on sign-up, so the form says why before the server does.
    const estimator = signingUp ? await loadStrengthEstimator().catch(() => null) : null;
    const problem = validate(flow, email, password, { name, estimator });
    setInvalid(problem?.field ?? null);
    if (problem && signingUp && problem.field === "password") {
      // The strength line under the field already says why; focus brings it back to the reader.
      setError(null);
      return passwordInput.current?.focus();
    }
    if (problem) return setError(problem.message);
    setBusy(true);
    setError(null);
    try {
      form.set("flow", flow);
      await signIn("password", form);
      props.onSignedIn();
    } catch (e) {
      setError(errorMessage(e, "Could not sign in. Try again."));
      setBusy(false);
    }
  }

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle as="h1" className="text-xl">{signingUp ? "Create your account" : "Sign in to Switchboard"}</CardTitle>
        <CardDescription>
          {signingUp ? "Use your work email." : "Welcome back. Enter your email and password."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          {signingUp && (
            <div className="grid gap-2">
              <Label htmlFor="name">Name</Label>
              <Input id="name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
          )}
          <div className="grid gap-2">
            <Label htmlFor="email">Email</Label>
            <Input
              id="email"
              name="email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => {
                props.onEmailChange(e.target.value);
                if (invalid === "email") setInvalid(null);
              }}
              aria-invalid={invalid === "email" || undefined}
              aria-describedby={invalid === "email" ? "signin-error" : undefined}
            />
          </div>
          <div className="grid gap-2">
            <div className="flex items-center justify-between gap-2">
              <Label htmlFor="password">Password</Label>
              {!signingUp && (
                <Button type="button" variant="link" className="h-auto p-0 text-xs" onClick={() => props.onSwitch("reset")}>
                  Forgot password?
                </Button>
              )}
            </div>
            <Input
              ref={passwordInput}
              id="password"
              name="password"
              type="password"
              autoComplete={signingUp ? "new-password" : "current-password"}
              required
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
                if (invalid === "password") setInvalid(null);
              }}
              aria-invalid={invalid === "password" || undefined}
              aria-describedby={signingUp ? "password-strength" : invalid === "password" ? "signin-error" : undefined}
            />
            {signingUp && <PasswordStrengthMeter id="password-strength" password={password} verdict={verdict} />}
          </div>
          {error && (
            <Alert variant="destructive" id="signin-error">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          )}
          <Button type="submit" disabled={busy}>
            {busy ? (signingUp ? "Creating account…" : "Signing in…") : signingUp ? "Create account" : "Sign in"}
          </Button>
          <Button type="button" variant="link" onClick={() => props.onSwitch(signingUp ? "signIn" : "signUp")}>
            {signingUp ? "Already have an account? Sign in" : "New here? Create an account"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

/**
 * The same rules the server applies, checked first so mistakes show at once. With no
 * estimator (not loaded) a sign-up password is judged on length and email only.
 */
export function validate(
  flow: Flow,
  email: string,
  password: string,
  options: { name?: string; estimator?: StrengthEstimator | null } = {},
): { field: "email" | "password"; message: string } | null {
  if (!normalizeEmail(email)) return { field: "email", message: "Enter a valid email address." };
  if (!password) return { field: "password", message: "Enter your password." };
  if (flow !== "signUp") return null;
  const verdict = judgePassword(password, options.estimator ?? null, { email, name: options.name });
  return verdict.ok ? null : { field: "password", message: refusalMessage(verdict) };
}
