import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * A wide thing (a table) that scrolls sideways on a narrow screen instead of widening
 * the page. It takes keyboard focus and is a named region, so someone without a mouse
 * can scroll it too (WCAG 2.1.1; axe: scrollable-region-focusable).
 */
function ScrollX({ label, className, ...props }: React.ComponentProps<"div"> & { label: string }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={cn("focus-visible:ring-ring overflow-x-auto rounded-md outline-none focus-visible:ring-[3px]", className)}
      {...props}
    />
  );
}

export { ScrollX };
