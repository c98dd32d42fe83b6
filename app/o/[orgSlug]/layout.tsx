import type { ReactNode } from "react";
import { OrgShell } from "@/components/shell/org-shell";

export default async function OrgLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  return <OrgShell slug={orgSlug}>{children}</OrgShell>;
}
