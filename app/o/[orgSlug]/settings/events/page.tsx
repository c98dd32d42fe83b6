import type { Metadata } from "next";
import { Suspense } from "react";
import { EventsPage } from "@/components/inbound/events-page";

export const metadata: Metadata = { title: "Events" };

// EventsPage reads `?provider=` (useSearchParams), which needs a Suspense boundary.
export default function Page() {
  return (
    <Suspense>
      <EventsPage />
    </Suspense>
  );
}
