import type { ReactNode } from "react";
import { SettingsNav } from "@/components/shell/settings-nav";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto grid max-w-6xl gap-6 p-4 md:grid-cols-[12rem_1fr] md:p-6">
      <aside>
        <SettingsNav />
      </aside>
      <main className="min-w-0">{children}</main>
    </div>
  );
}
