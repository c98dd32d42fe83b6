import * as React from "react";
import { cn } from "@/lib/utils";

/**
 * Preformatted text in a box that scrolls when it is long. It takes keyboard focus, so
 * someone without a mouse can scroll it too (WCAG 2.1.1; axe: scrollable-region-focusable).
 */
function CodeBlock({ className, ...props }: React.ComponentProps<"pre">) {
  return (
    <pre
      tabIndex={0}
      className={cn("bg-muted focus-visible:ring-ring overflow-auto rounded p-2 text-xs outline-none focus-visible:ring-[3px]", className)}
      {...props}
    />
  );
}

export { CodeBlock };
