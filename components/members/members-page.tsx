"use client";

import { useMutation, usePaginatedQuery, useQuery } from "convex/react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { useConfirm } from "@/components/shell/confirm-dialog";
import { useCurrentOrg } from "@/components/shell/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/error-messages";
import { assignableRoles, hasRole, memberRowActions, roleWithArticle, type Role } from "@/lib/roles";
import { AddMemberForm } from "./add-member-form";

/** Members loaded at first and by each "Show more". */
const MEMBERS_PAGE = 50;

/** `/o/[orgSlug]/settings/members`: who is in the organization, and (for admins) managing them. */
export function MembersPage() {
  const org = useCurrentOrg();
  const {
    results: members,
    status,
    loadMore,
  } = usePaginatedQuery(api.orgs.members.list, { orgId: org.orgId }, { initialNumItems: MEMBERS_PAGE });
  // Asked of the server: the loaded rows are a page, not every owner.
  const canLeave = useQuery(api.orgs.members.canLeave, { orgId: org.orgId });
  const changeRole = useMutation(api.orgs.members.changeRole);
  const remove = useMutation(api.orgs.members.remove);
  const leave = useMutation(api.orgs.members.leave);
  const router = useRouter();
  const canManage = hasRole(org.role, "admin");
  const { confirm, dialog } = useConfirm();

  async function run(action: () => Promise<unknown>, success: string) {
    try {
      await action();
      toast.success(success);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <div className="grid gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
          <p className="text-muted-foreground text-sm">
            {canManage
              ? "Owners and admins manage integrations and members. Members see status read-only."
              : "You can see who is here. Only owners and admins manage members."}
          </p>
          {canLeave === false && (
            <p className="text-muted-foreground text-sm">
              You are the only owner: make someone else an owner before you can leave.
            </p>
          )}
        </div>
        {/* Not in the viewer's row: with many members that row may be pages away. */}
        {canLeave && (
          <Button
            variant="outline"
            size="sm"
            onClick={() =>
              confirm({
                title: `Leave ${org.name}?`,
                description: "You lose access to its integrations and members at once. An admin can add you again.",
                confirmLabel: "Leave",
                busyLabel: "Leaving…",
                onConfirm: async () => {
                  try {
                    await leave({ orgId: org.orgId });
                    router.replace("/orgs");
                  } catch (e) {
                    toast.error(errorMessage(e));
                  }
                },
              })
            }
          >
            Leave organization
          </Button>
        )}
      </div>
      {canManage && (
        <Card>
          <CardHeader>
            <CardTitle>Add a member</CardTitle>
            <CardDescription>They need a Switchboard account first.</CardDescription>
          </CardHeader>
          <CardContent>
            <AddMemberForm orgId={org.orgId} roles={assignableRoles(org.role)} />
          </CardContent>
        </Card>
      )}
      <Card>
        <CardContent>
          {status === "LoadingFirstPage" ? (
            <div className="grid gap-3" aria-busy="true">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} className="h-10" />
              ))}
            </div>
          ) : (
            <ul className="divide-y" aria-label="Members">
              {members.map((m) => {
                const actions = memberRowActions(org.role, m);
                return (
                  <li
                    key={m.membershipId}
                    data-testid="member-row"
                    className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
                  >
                    <div className="min-w-0">
                      <p className="truncate font-medium">
                        {m.name ?? m.email} {m.isViewer && <span className="text-muted-foreground">(you)</span>}
                      </p>
                      {m.name && <p className="text-muted-foreground truncate text-sm">{m.email}</p>}
                    </div>
                    <div className="flex items-center gap-2">
                      {actions.changeRole.length > 0 ? (
                        <NativeSelect
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          onChange={(e) =>
                            run(
                              () =>
                                changeRole({
                                  orgId: org.orgId,
                                  membershipId: m.membershipId as Id<"memberships">,
                                  role: e.target.value as Role,
                                }),
                              `${m.email} is now ${roleWithArticle(e.target.value as Role)}.`,
                            )
                          }
                        >
                          {rolesIncluding(actions.changeRole, m.role).map((role) => (
                            <option key={role} value={role}>
                              {role}
                            </option>
                          ))}
                        </NativeSelect>
                      ) : (
                        <Badge variant={m.role === "member" ? "secondary" : "outline"} aria-label={`Role: ${m.role}`}>
                          {m.role}
                        </Badge>
                      )}
                      {actions.remove && (
                        <Button
                          variant="ghost"
                          size="sm"
                          aria-label={`Remove ${m.email}`}
                          onClick={() =>
                            confirm({
                              title: `Remove ${m.email}?`,
                              description: `They lose access to ${org.name} at once. Their past activity stays in the history.`,
                              confirmLabel: "Remove",
                              busyLabel: "Removing…",
                              onConfirm: () =>
                                run(() => remove({ orgId: org.orgId, membershipId: m.membershipId }), `Removed ${m.email}.`),
                            })
                          }
                        >
                          Remove
                        </Button>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          {status === "CanLoadMore" && (
            <Button variant="outline" size="sm" className="mt-3" onClick={() => loadMore(MEMBERS_PAGE)}>
              Show more
            </Button>
          )}
        </CardContent>
      </Card>
      {dialog}
    </div>
  );
}

/** The select must show the member's current role even when the viewer may not give it. */
function rolesIncluding(roles: Role[], current: Role): Role[] {
  return roles.includes(current) ? roles : [current, ...roles];
}
