import type { Provider, TestRequest } from "./schema";

/**
 * Reads a dot path (`data.gid`, `0.id`) from a JSON value; undefined when any step is missing.
 * @example readPath({ data: { gid: "1" } }, "data.gid") // "1"
 */
export function readPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(key)) return undefined;
      current = current[Number(key)];
    } else {
      if (!Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current;
}

export type AccountReading =
  | { ok: true; accountId: string; accountName: string | null }
  | { ok: false; reason: "provider_error" | "missing_account_id"; detail: string };

function asText(value: unknown): string | null {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * The account a test response names, following the provider's `test.account` paths.
 * Slack-style `successPath` must be `true`, else the provider's `error` is the detail.
 */
export function readAccount(provider: Provider & { test: TestRequest }, body: unknown): AccountReading {
  const { idPath, namePath, successPath } = provider.test.account;
  if (successPath && readPath(body, successPath) !== true) {
    const error = asText(readPath(body, "error")) ?? "unknown_error";
    return { ok: false, reason: "provider_error", detail: error };
  }
  const accountId = asText(readPath(body, idPath));
  if (accountId === null) {
    return { ok: false, reason: "missing_account_id", detail: `no value at "${idPath}"` };
  }
  const accountName = namePath ? asText(readPath(body, namePath)) : null;
  return { ok: true, accountId, accountName };
}
