import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/lib/inbound/words";

const VARIANT = { success: "success", warning: "warning", danger: "destructive", neutral: "secondary" } as const;

/** A status badge: its words say the status, the colour only repeats them (never colour alone). */
export function ToneBadge({ tone, label, title }: { tone: Tone; label: string; title?: string }) {
  return (
    <Badge variant={VARIANT[tone]} title={title}>
      {label}
    </Badge>
  );
}
