import type { ReactNode } from "react";
import { OrgShell } from "@/components/shell/org-shell";
import { SignedIn } from "@/components/shell/signed-in";

export default async function OrgLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  return (
    <SignedIn>
      <OrgShell slug={orgSlug}>{children}</OrgShell>
    </SignedIn>
  );
}
