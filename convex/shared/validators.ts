/**
 * Convex validators for the app's closed vocabularies, each derived from the one
 * list in `lib/` that defines it, so a value is added in one place.
 */
import { literals } from "convex-helpers/validators";
import { v, type Infer } from "convex/values";
import { CALL_METHODS } from "../../lib/http/retry";
import { REQUEST_PURPOSES } from "../../lib/http/request";
import { ACTOR_KINDS, AUDIT_ACTIONS } from "../../lib/integrations/activity";
import { CONNECTION_STATUSES, STATUS_REASONS } from "../../lib/integrations/status";
import { DISCONNECT_REVOCATIONS } from "../../lib/oauth/revoke";
import { CALL_OUTCOMES } from "../../lib/pipeline/call-log";
import { REFRESH_FAILURES } from "../../lib/refresh/plan";
import { ROLES } from "../../lib/roles";

export const roleValidator = literals(...ROLES);
export const connectionStatusValidator = literals(...CONNECTION_STATUSES);
export const statusReasonValidator = literals(...STATUS_REASONS);
export const auditActionValidator = literals(...AUDIT_ACTIONS);
export const refreshFailureValidator = literals(...REFRESH_FAILURES);
export const disconnectRevocationValidator = literals(...DISCONNECT_REVOCATIONS);
export const callMethodValidator = literals(...CALL_METHODS);
export const callOutcomeValidator = literals(...CALL_OUTCOMES);
export const requestPurposeValidator = literals(...REQUEST_PURPOSES);

/** Who did something or made a call: a person, an API key, or Switchboard itself (with a label). */
export const actorValidator = v.object({
  kind: literals(...ACTOR_KINDS),
  id: v.optional(v.string()),
  label: v.optional(v.string()),
});
export type Actor = Infer<typeof actorValidator>;
