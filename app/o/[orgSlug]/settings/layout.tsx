import type { ReactNode } from "react";
import { SettingsNav } from "@/components/shell/settings-nav";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    // grid-cols-1 (minmax(0, 1fr)) on phones: an implicit column would grow to the nav's
    // unwrapped width and make the whole page scroll sideways; the nav scrolls instead.
    <div className="mx-auto grid max-w-6xl grid-cols-1 gap-6 p-4 md:grid-cols-[12rem_1fr] md:p-6">
      <aside className="min-w-0">
        <SettingsNav />
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 outline-none">
        {children}
      </main>
    </div>
  );
}
