import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

export type AuditActor = Doc<"auditEvents">["actor"];
type AuditInput = Omit<Doc<"auditEvents">, "_id" | "_creationTime" | "orgId" | "actor">;

/** Appends one audit event. Called inside the mutation that made the change, so both commit together. */
export async function recordAudit(
  ctx: MutationCtx,
  orgId: Id<"organizations">,
  actor: AuditActor,
  event: AuditInput,
): Promise<void> {
  await ctx.db.insert("auditEvents", { orgId, actor, ...event });
}

/** The audit actor for a signed-in user. */
export function userActor(userId: Id<"users">): AuditActor {
  return { kind: "user", id: userId };
}
