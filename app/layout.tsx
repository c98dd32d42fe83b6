import { ConvexAuthNextjsServerProvider } from "@convex-dev/auth/nextjs/server";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ConvexClientProvider } from "@/components/app/convex-client-provider";
import { PublicConfigProvider } from "@/components/app/public-config";
import { Toaster } from "@/components/ui/sonner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchboard", template: "%s · Switchboard" },
  description: "Connect your organization's tools, keep their credentials safe, and watch them live.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <ConvexAuthNextjsServerProvider>
      <html lang="en">
        <body className="min-h-screen">
          <PublicConfigProvider>
            <ConvexClientProvider>{children}</ConvexClientProvider>
          </PublicConfigProvider>
          <Toaster position="bottom-right" />
        </body>
      </html>
    </ConvexAuthNextjsServerProvider>
  );
}
