import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProviderPage } from "@/components/integrations/provider-page";
import { getProvider } from "@/lib/providers";

export async function generateMetadata({ params }: { params: Promise<{ provider: string }> }): Promise<Metadata> {
  const { provider } = await params;
  return { title: getProvider(provider)?.displayName ?? "Integration" };
}

export default async function Page({ params }: { params: Promise<{ provider: string }> }) {
  const { provider } = await params;
  if (!getProvider(provider)) notFound();
  return <ProviderPage providerId={provider} />;
}
