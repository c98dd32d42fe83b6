"use client";

import { createContext, useContext } from "react";
import type { Id } from "@/convex/_generated/dataModel";
import type { Role } from "@/lib/roles";

export type CurrentOrg = { orgId: Id<"organizations">; name: string; slug: string; role: Role };

const OrgContext = createContext<CurrentOrg | null>(null);

export const OrgProvider = OrgContext.Provider;

/** The organization of the current `/o/[orgSlug]` page, with the viewer's role. */
export function useCurrentOrg(): CurrentOrg {
  const org = useContext(OrgContext);
  if (!org) throw new Error("useCurrentOrg must be used inside an organization page");
  return org;
}
