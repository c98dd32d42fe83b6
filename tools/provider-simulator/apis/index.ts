/**
 * The provider APIs the simulator plays for actions: one module per provider, each as
 * strict as the real API about the methods and fields the catalog's actions use, answering
 * with the provider's own error shapes. A path no module claims falls back to the echo.
 *
 * Every request under an API base (and every webhook delivery) is recorded with its body
 * in `apiCalls`, minus credential headers, so tests assert exactly what a provider got.
 */
import type { SimRequest, SimResponse } from "../http-utils";
import type { Account } from "../state";
import { asanaApi } from "./asana";
import { githubApi } from "./github";
import { gmailApi } from "./gmail";
import { googleCalendarApi } from "./google-calendar";
import { jiraApi } from "./jira";
import { linearApi } from "./linear";
import { microsoftApi } from "./microsoft";
import { notionApi } from "./notion";
import { pumbleWebhook } from "./pumble";
import { linkedinApi } from "./linkedin";
import { redditApi } from "./reddit";
import { salesforceApi } from "./salesforce";
import { slackApi } from "./slack";
import { trelloApi } from "./trello";
import { wordpressApi } from "./wordpress";
import { zoomApi } from "./zoom";

/** What an API module gets: the request, the path below the API base, the caller's account, and its provider's world. */
export type ApiCall = {
  req: SimRequest;
  /** The path below the provider's API base, starting with `/` (`/chat.postMessage`). */
  apiPath: string;
  account: Account;
  /** The scopes the OAuth grant behind the token holds (empty for other auth kinds). */
  scopes: readonly string[];
  /** Mutable state of this provider's world (channels, issues, pages…), reset with the simulator. */
  world: Record<string, unknown>;
  /** The simulator's base URL, for links in answers. */
  baseUrl: string;
  now: number;
};

/**
 * Answers the call, or null when the path is not one this module plays (the echo answers);
 * a promise when the provider calls out first (Graph's validation of a notification URL).
 */
export type ApiModule = (call: ApiCall) => SimResponse | null | Promise<SimResponse | null>;

export const API_MODULES: Readonly<Record<string, ApiModule>> = {
  slack: slackApi,
  github: githubApi,
  notion: notionApi,
  linear: linearApi,
  jira: jiraApi,
  asana: asanaApi,
  "google-calendar": googleCalendarApi,
  gmail: gmailApi,
  microsoft: microsoftApi,
  zoom: zoomApi,
  salesforce: salesforceApi,
  reddit: redditApi,
  linkedin: linkedinApi,
  wordpress: wordpressApi,
  trello: trelloApi,
};

/**
 * Checks a webhook provider's receiver makes of a delivery (already recorded): an answer
 * refusing it, or null to answer `200 {"ok":true}`.
 */
export const WEBHOOK_RECEIVERS: Readonly<Record<string, (req: SimRequest) => SimResponse | null>> = {
  pumble: pumbleWebhook,
};

/** A provider's hourly request budget in its world (tests spend it with `patchWorld`). */
export type RateLimit = { limit: number; remaining: number; resetAt: number };

/** Spends one request of the world's hourly budget (5,000 by default): what is left, and whether it was already gone. */
export function spendRateLimit(call: ApiCall): { limit: RateLimit; exhausted: boolean } {
  const limit = worldOf<RateLimit>(call.world, "rateLimit", () => ({ limit: 5000, remaining: 5000, resetAt: call.now + 3_600_000 }));
  limit.limit ??= 5000;
  limit.resetAt ??= call.now + 3_600_000;
  const exhausted = limit.remaining <= 0;
  if (!exhausted) limit.remaining -= 1;
  return { limit, exhausted };
}

/** A world value, created on first use: `worldOf(call.world, "channels", () => [...])`. */
export function worldOf<T>(world: Record<string, unknown>, key: string, create: () => T): T {
  if (!(key in world)) world[key] = create();
  return world[key] as T;
}

/** A page of `items` for offset cursors (`"40"`): the page and the next cursor, absent on the last page. */
export function pageOf<T>(items: readonly T[], cursor: string | null | undefined, limit: number): { page: T[]; next?: string } {
  const start = cursor ? Number(cursor) : 0;
  const from = Number.isInteger(start) && start >= 0 ? start : 0;
  const page = items.slice(from, from + limit);
  const next = from + limit < items.length ? String(from + limit) : undefined;
  return next === undefined ? { page } : { page, next };
}
