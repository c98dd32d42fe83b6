"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import { useCurrentOrg } from "./org-context";

/**
 * The settings sections, in order. One with `ready: false` has no page yet and shows
 * as "soon", so the navigation keeps its shape as sections are built.
 */
export const SETTINGS_SECTIONS = [
  { segment: "integrations", label: "Integrations", ready: true },
  { segment: "workflows", label: "Workflows", ready: true },
  { segment: "members", label: "Members", ready: true },
  { segment: "webhooks", label: "Webhooks", ready: true },
  { segment: "events", label: "Events", ready: true },
  { segment: "api-keys", label: "API keys", ready: true },
  { segment: "activity", label: "Activity", ready: true },
  { segment: "general", label: "General", ready: true },
] as const;

export function SettingsNav() {
  const { slug } = useCurrentOrg();
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="flex gap-1 overflow-x-auto md:flex-col">
      {SETTINGS_SECTIONS.map((section) => {
        const href = `/o/${slug}/settings/${section.segment}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        if (!section.ready) {
          return (
            <span
              key={section.segment}
              aria-disabled="true"
              className="text-muted-foreground flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm whitespace-nowrap"
            >
              {section.label} <span className="text-[10px] uppercase tracking-wide">soon</span>
            </span>
          );
        }
        return (
          <Link
            key={section.segment}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-2 text-sm whitespace-nowrap",
              active ? "bg-accent font-medium" : "text-muted-foreground hover:bg-accent/60",
            )}
          >
            {section.label}
          </Link>
        );
      })}
    </nav>
  );
}
