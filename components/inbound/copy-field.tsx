"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A value to paste somewhere else (a webhook URL), with a Copy button. The button keeps
 * its words; "copied" is said in a status line, so a screen reader hears it and the
 * button's name stays what it says.
 */
export function CopyField({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <code className="bg-muted min-w-0 rounded px-2 py-1 font-mono text-xs break-all">{value}</code>
      <Button
        size="sm"
        variant="outline"
        aria-label={`Copy ${label}`}
        onClick={() =>
          // Through a promise, so a browser without the clipboard API (an insecure origin) only leaves "Copied." unsaid.
          void Promise.resolve()
            .then(() => navigator.clipboard.writeText(value))
            .then(
              () => setCopied(true),
              () => setCopied(false),
            )
        }
      >
        Copy
      </Button>
      <span role="status" className="text-muted-foreground text-xs">
        {copied ? "Copied." : ""}
      </span>
    </div>
  );
}
