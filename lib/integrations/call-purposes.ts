import type { RequestPurpose } from "../http/request";

/** Why a request in the call log was made, in the words of the provider page's list. */
const PURPOSE_LABELS: Record<RequestPurpose, string> = {
  call: "Call",
  test: "Test",
  verify: "Connect check",
  keep_alive: "Keep-alive",
  token: "Token exchange",
  refresh: "Token refresh",
  revoke: "Revocation",
};

/** "Test", "Token refresh", …; rows older than the purpose field are calls. */
export function describePurpose(purpose: RequestPurpose | undefined): string {
  return PURPOSE_LABELS[purpose ?? "call"];
}
