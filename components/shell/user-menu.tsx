"use client";

import { useAuthActions } from "@convex-dev/auth/react";
import { useQuery } from "convex/react";
import { useRouter } from "next/navigation";
import { LogOutIcon, UserIcon } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

/** The signed-in person, and sign out. */
export function UserMenu() {
  const viewer = useQuery(api.users.viewer.get);
  const { signOut } = useAuthActions();
  const router = useRouter();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        {/* The name says whose account, and contains the email it shows (WCAG 2.5.3). */}
        <Button variant="ghost" size="sm" aria-label={viewer ? `Account: ${viewer.email}` : "Account"}>
          <UserIcon />
          <span className="hidden max-w-48 truncate sm:inline">{viewer?.email ?? "…"}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel className="text-muted-foreground font-normal">{viewer?.email}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={async () => {
            // The signed-in pages unmount as the session ends (see SignedIn), so nothing queries without one.
            await signOut();
            router.replace("/signin");
          }}
        >
          <LogOutIcon /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
