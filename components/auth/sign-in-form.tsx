"use client";

import { useAuthActions } from "@convex-dev/auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { judgePassword, normalizeEmail, refusalMessage } from "@/lib/passwords";
import { errorMessage } from "@/lib/error-messages";
import { safeRelativePath } from "@/lib/safe-redirect";

type Flow = "signIn" | "signUp";

/** Sign in or create an account with email and password. */
export function SignInForm() {
  const { signIn } = useAuthActions();
  const router = useRouter();
  const next = safeRelativePath(useSearchParams().get("next"), "/orgs");
  const [flow, setFlow] = useState<Flow>("signIn");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const problem = validate(flow, String(form.get("email") ?? ""), String(form.get("password") ?? ""));
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      form.set("flow", flow);
      await signIn("password", form);
      router.replace(next);
    } catch (e) {
      setError(errorMessage(e, "Could not sign in. Try again."));
      setBusy(false);
    }
  }

  const signingUp = flow === "signUp";
  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle className="text-xl">{signingUp ? "Create your account" : "Sign in to Switchboard"}</CardTitle>
        <CardDescription>
          {signingUp ? "Use your work email." : "Welcome back. Enter your email and password."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="grid gap-4" noValidate>
          {signingUp && (
            <div className="grid gap-2">
              <Label htmlFor="name">Name</Label>
              <Input id="name" name="name" autoComplete="name" />
            </div>
          )}
          <div className="grid gap-2">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="password">Password</Label>
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete={signingUp ? "new-password" : "current-password"}
              required
            />
            {signingUp && (
              <p className="text-muted-foreground text-xs">At least 8 characters, with a letter and a digit or symbol.</p>
            )}
          </div>
          {error && (
            <Alert variant="destructive">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          )}
          <Button type="submit" disabled={busy}>
            {busy ? (signingUp ? "Creating account…" : "Signing in…") : signingUp ? "Create account" : "Sign in"}
          </Button>
          <Button
            type="button"
            variant="link"
            onClick={() => {
              setFlow(signingUp ? "signIn" : "signUp");
              setError(null);
            }}
          >
            {signingUp ? "Already have an account? Sign in" : "New here? Create an account"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

/** The same rules the server applies, checked first so mistakes show at once. */
export function validate(flow: Flow, email: string, password: string): string | null {
  if (!normalizeEmail(email)) return "Enter a valid email address.";
  if (!password) return "Enter your password.";
  if (flow !== "signUp") return null;
  const verdict = judgePassword(password, null, { email });
  return verdict.ok ? null : refusalMessage(verdict);
}
