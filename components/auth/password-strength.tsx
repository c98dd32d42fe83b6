"use client";

import { useEffect, useState } from "react";
import { judgePassword, type PasswordOwner, type PasswordVerdict, type StrengthEstimator } from "@/lib/passwords";
import { cn } from "@/lib/utils";

let estimatorPromise: Promise<StrengthEstimator> | undefined;

/**
 * The strength estimator, loaded on first use: its dictionaries are about 1.6 MB, so
 * they stay out of the sign-in page's first load and come only when someone chooses a
 * password. One load per page, shared.
 */
export function loadStrengthEstimator(): Promise<StrengthEstimator> {
  estimatorPromise ??= import("@/lib/password-strength").then((module) => module.estimateStrength);
  // A failed load (offline mid-typing) may be tried again; the server judges anyway.
  estimatorPromise.catch(() => (estimatorPromise = undefined));
  return estimatorPromise;
}

/**
 * Judges a password against lib/passwords.ts as it is typed: length and email at once,
 * strength as soon as the estimator has loaded. It starts loading once `choosing` is
 * true (a new-password field is on screen), so signing in never downloads it.
 */
export function usePasswordVerdict(password: string, owner: PasswordOwner, choosing: boolean): PasswordVerdict {
  const [estimator, setEstimator] = useState<StrengthEstimator | null>(null);
  useEffect(() => {
    if (!choosing) return;
    let live = true;
    loadStrengthEstimator().then(
      (loaded) => live && setEstimator(() => loaded),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [choosing]);
  return judgePassword(password, estimator, owner);
}

const LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const;

/**
 * A five-step bar and one line under a new-password field: what is wrong while the
 * password would be refused, "Strong" once it would be accepted. Its `id` is what the
 * field's `aria-describedby` names; the line is polite live text for screen readers.
 */
export function PasswordStrengthMeter({ id, password, verdict }: { id: string; password: string; verdict: PasswordVerdict }) {
  if (password === "") {
    return (
      <p id={id} className="text-muted-foreground text-xs">
        At least 8 characters. A few uncommon words work well; avoid your name and email.
      </p>
    );
  }
  const score = verdict.score ?? 0;
  const steps = verdict.ok ? Math.max(score, 3) + 1 : Math.min(score, 2) + 1;
  const label = verdict.ok ? (verdict.score === null ? "Checking strength…" : LABELS[score]) : LABELS[Math.min(score, 2)];
  return (
    <div className="grid gap-1.5" data-testid="password-strength" data-ok={verdict.ok}>
      <div className="flex gap-1" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((step) => (
          <span
            key={step}
            className={cn(
              "h-1.5 flex-1 rounded-full",
              step < steps ? (verdict.ok ? "bg-emerald-600 dark:bg-emerald-500" : "bg-destructive") : "bg-muted",
            )}
          />
        ))}
      </div>
      <p id={id} className={cn("text-xs", verdict.ok ? "text-muted-foreground" : "text-destructive")} aria-live="polite">
        <span className="font-medium">{label}.</span>{" "}
        {verdict.ok ? (verdict.score === null ? "" : "Good to go.") : [verdict.reason, ...verdict.suggestions].join(" ")}
      </p>
    </div>
  );
}
