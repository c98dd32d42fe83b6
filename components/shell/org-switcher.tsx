"use client";

import { useQuery } from "convex/react";
import { useRouter } from "next/navigation";
import { ChevronsUpDownIcon, PlusIcon } from "lucide-react";
import { api } from "@/convex/_generated/api";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { foldOrgName } from "@/lib/org-name";
import { CreateOrgDialog } from "./create-org-dialog";

/** Switches between the viewer's organizations, keeping the current settings page. */
export function OrgSwitcher({ current }: { current: { slug: string; name: string } }) {
  const orgs = useQuery(api.orgs.organizations.listMine);
  const router = useRouter();
  const namesakes = sharedNames(orgs ?? []);
  return (
    <div className="flex items-center gap-1">
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="sm" aria-label="Switch organization" className="max-w-64">
            <span className="truncate font-medium">{current.name}</span>
            <ChevronsUpDownIcon className="text-muted-foreground" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel className="text-muted-foreground text-xs font-normal">Organizations</DropdownMenuLabel>
          {/* One of them is current: radio items (menuitemradio), not checkboxes. */}
          <DropdownMenuRadioGroup
            value={current.slug}
            onValueChange={(slug) => {
              const rest = window.location.pathname.split("/").slice(3).join("/");
              router.push(`/o/${slug}/${rest || "settings/integrations"}`);
            }}
          >
            {(orgs ?? []).map((org) => (
              <DropdownMenuRadioItem key={org.orgId} value={org.slug}>
                <span className="min-w-0">
                  <span className="block truncate">{org.name}</span>
                  {namesakes.has(foldOrgName(org.name)) && (
                    <span className="text-muted-foreground block truncate text-xs">/o/{org.slug}</span>
                  )}
                </span>
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => router.push("/orgs")}>All organizations</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateOrgDialog
        trigger={
          <Button variant="ghost" size="icon" aria-label="Create organization">
            <PlusIcon />
          </Button>
        }
      />
    </div>
  );
}

/** The names (folded) more than one of the viewer's organizations have: those show their slug. */
function sharedNames(orgs: ReadonlyArray<{ name: string }>): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const { name } of orgs) {
    const folded = foldOrgName(name);
    if (seen.has(folded)) shared.add(folded);
    seen.add(folded);
  }
  return shared;
}
