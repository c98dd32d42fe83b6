import type { Metadata } from "next";
import { OrgList } from "@/components/shell/org-list";
import { SignedIn } from "@/components/shell/signed-in";
import { UserMenu } from "@/components/shell/user-menu";

export const metadata: Metadata = { title: "Organizations" };

export default function OrgsPage() {
  return (
    <SignedIn>
      <div className="min-h-screen">
        <header className="flex h-14 items-center justify-between border-b px-4">
          <span className="font-semibold tracking-tight">Switchboard</span>
          <UserMenu />
        </header>
        <main className="flex justify-center p-6">
          <OrgList />
        </main>
      </div>
    </SignedIn>
  );
}
