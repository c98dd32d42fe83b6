import type { Metadata } from "next";
import { OrgSettingsPage } from "@/components/org-settings/org-settings-page";

export const metadata: Metadata = { title: "Organization settings" };

export default function Page() {
  return <OrgSettingsPage />;
}
