import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-6 p-4">
      <p className="text-2xl font-semibold tracking-tight">Switchboard</p>
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
