import type { Metadata } from "next";
import { Suspense } from "react";
import { IntegrationsPage } from "@/components/integrations/integrations-page";

export const metadata: Metadata = { title: "Integrations" };

export default function Page() {
  // Loopback addresses are only accepted while the app runs against the provider simulator.
  const allowLoopback = process.env.NEXT_PUBLIC_SIMULATED_PROVIDERS === "1";
  return (
    <Suspense>
      <IntegrationsPage allowLoopback={allowLoopback} />
    </Suspense>
  );
}
