import { describe, expect, test } from "vitest";
import {
  callRefreshDecision,
  effectiveExpiry,
  marginFor,
  DEFAULT_ACCESS_TOKEN_LIFETIME_MS,
  KEEP_ALIVE_INTERVAL_MS,
  KEEP_ALIVE_RETRY_MS,
  maintenanceDue,
  nextMaintenanceAt,
  REFRESH_EXHAUSTED_AFTER_MS,
  REFRESH_JITTER_MAX_MS,
  REFRESH_MARGIN_MS,
  refreshFailurePlan,
  type MaintenanceInput,
} from "./plan";

const MIN = 60_000;
const HOUR = 60 * MIN;

const oauth = (overrides: Partial<MaintenanceInput> = {}): MaintenanceInput => ({
  status: "connected",
  authKind: "oauth2",
  refreshable: true,
  marginMs: undefined,
  accessTokenIssuedAt: 0,
  accessTokenExpiresAt: HOUR,
  lastActivityAt: 0,
  retryAt: undefined,
  ...overrides,
});

describe("nextMaintenanceAt", () => {
  test("a one-hour token is refreshed 15 minutes before expiry, up to 2 minutes earlier at random", () => {
    expect(nextMaintenanceAt(oauth(), 0, () => 0)).toBe(HOUR - REFRESH_MARGIN_MS);
    expect(nextMaintenanceAt(oauth(), 0, () => 1)).toBe(HOUR - REFRESH_MARGIN_MS - REFRESH_JITTER_MAX_MS);
  });
  test("the catalog's margin wins over the default", () => {
    expect(nextMaintenanceAt(oauth({ marginMs: 5 * MIN }), 0, () => 0)).toBe(HOUR - 5 * MIN);
  });
  test("a token shorter than twice the margin is refreshed at half its life, not in a loop", () => {
    expect(nextMaintenanceAt(oauth({ accessTokenExpiresAt: 10 * MIN }), 0, () => 0)).toBe(5 * MIN);
    expect(nextMaintenanceAt(oauth({ accessTokenExpiresAt: 4_000 }), 0, () => 0)).toBe(2_000);
  });
  test("a token already inside its margin is due now", () => {
    expect(nextMaintenanceAt(oauth(), 50 * MIN, () => 0)).toBe(50 * MIN);
  });
  test("a refreshable token without expires_in is assumed to live an hour", () => {
    expect(nextMaintenanceAt(oauth({ accessTokenExpiresAt: undefined }), 0, () => 0)).toBe(
      DEFAULT_ACCESS_TOKEN_LIFETIME_MS - REFRESH_MARGIN_MS,
    );
  });
  test("a connection that cannot refresh is kept alive daily, from its last activity", () => {
    const input = oauth({ refreshable: false, accessTokenExpiresAt: undefined, lastActivityAt: 5 * HOUR });
    expect(nextMaintenanceAt(input, 6 * HOUR)).toBe(5 * HOUR + KEEP_ALIVE_INTERVAL_MS);
    expect(nextMaintenanceAt({ ...input, authKind: "basic" }, 6 * HOUR)).toBe(5 * HOUR + KEEP_ALIVE_INTERVAL_MS);
  });
  test("webhooks have nothing to keep alive; errors and disconnections are never scheduled", () => {
    expect(nextMaintenanceAt(oauth({ authKind: "webhook_url", refreshable: false }), 0)).toBeNull();
    expect(nextMaintenanceAt(oauth({ status: "error" }), 0)).toBeNull();
    expect(nextMaintenanceAt(oauth({ status: "disconnected" }), 0)).toBeNull();
  });
  test("a backing-off refresh is planned at its retry time", () => {
    expect(nextMaintenanceAt(oauth({ retryAt: 20 * MIN }), 0)).toBe(20 * MIN);
  });
});

describe("maintenanceDue", () => {
  test("a job firing at its jittered time finds the refresh due", () => {
    const planned = nextMaintenanceAt(oauth(), 0, () => 1)!;
    expect(maintenanceDue(oauth(), planned)).toEqual({ action: "refresh", reason: "expiring" });
    expect(maintenanceDue(oauth(), planned - 1)).toEqual({ action: "none", reason: "not_due" });
  });
  test("idle connections: refresh when possible, test otherwise, nothing for webhooks", () => {
    const idle = KEEP_ALIVE_INTERVAL_MS + 1;
    expect(maintenanceDue(oauth({ accessTokenExpiresAt: 100 * HOUR }), idle)).toEqual({ action: "refresh", reason: "keep_alive" });
    expect(maintenanceDue(oauth({ refreshable: false }), idle)).toEqual({ action: "test", reason: "keep_alive" });
    expect(maintenanceDue(oauth({ authKind: "webhook_url", refreshable: false }), idle)).toMatchObject({ action: "none" });
  });
  test("backoff is respected until the retry time", () => {
    const input = oauth({ retryAt: 50 * MIN });
    expect(maintenanceDue(input, 49 * MIN)).toEqual({ action: "none", reason: "backing_off" });
    expect(maintenanceDue(input, 50 * MIN)).toEqual({ action: "refresh", reason: "retry" });
    expect(maintenanceDue({ ...input, refreshable: false }, 50 * MIN)).toEqual({ action: "test", reason: "keep_alive" });
  });
  test("not live is never due", () => {
    expect(maintenanceDue(oauth({ status: "error" }), 2 * HOUR)).toEqual({ action: "none", reason: "not_live" });
  });
});

describe("callRefreshDecision", () => {
  test("refreshes only an expired or nearly expired token", () => {
    expect(callRefreshDecision(oauth(), HOUR)).toEqual({ should: true, reason: "expired", thresholdMs: 2 * MIN });
    expect(callRefreshDecision(oauth(), HOUR - MIN)).toEqual({ should: true, reason: "expiring", thresholdMs: 2 * MIN });
    expect(callRefreshDecision(oauth(), 50 * MIN)).toEqual({ should: false, reason: "fresh" });
    expect(callRefreshDecision(oauth({ refreshable: false }), 2 * HOUR)).toEqual({ should: false, reason: "not_refreshable" });
  });
  test("a very short-lived token is refreshed only in the last half of its life", () => {
    const short = oauth({ accessTokenExpiresAt: 4_000 });
    expect(callRefreshDecision(short, 1_000)).toEqual({ should: false, reason: "fresh" });
    expect(callRefreshDecision(short, 2_500)).toEqual({ should: true, reason: "expiring", thresholdMs: 2_000 });
  });
});

describe("refreshFailurePlan", () => {
  const base = { retryAfterSeconds: undefined, failingSince: undefined, failures: undefined };
  test("a dead grant is revoked at once", () => {
    expect(refreshFailurePlan({ ...base, failure: "invalid_grant" }, 0)).toEqual({ kind: "revoked" });
  });
  test("outages back off exponentially, honouring Retry-After", () => {
    expect(refreshFailurePlan({ ...base, failure: "unavailable" }, 0, () => 1)).toEqual({
      kind: "retry",
      retryAt: MIN,
      failingSince: 0,
      failures: 1,
    });
    expect(refreshFailurePlan({ ...base, failure: "network", failures: 3, failingSince: 0 }, 0, () => 1)).toMatchObject({ retryAt: 8 * MIN });
    expect(refreshFailurePlan({ ...base, failure: "network", failures: 30, failingSince: 0 }, 0, () => 1)).toMatchObject({ retryAt: HOUR });
    expect(refreshFailurePlan({ ...base, failure: "unavailable", retryAfterSeconds: 600 }, 0, () => 0)).toMatchObject({ retryAt: 10 * MIN });
  });
  test("failing for days is exhausted", () => {
    const plan = refreshFailurePlan({ ...base, failure: "unavailable", failingSince: 0, failures: 70 }, REFRESH_EXHAUSTED_AFTER_MS);
    expect(plan).toEqual({ kind: "exhausted", failingSince: 0 });
  });
});

describe("the plan's numbers, as a connection sees them", () => {
  const DAY = 24 * HOUR;

  test("a refreshable token without expires_in is assumed to live one hour; one that cannot refresh has no expiry", () => {
    expect(effectiveExpiry({ refreshable: true, accessTokenExpiresAt: undefined, accessTokenIssuedAt: 5 * HOUR })).toEqual({
      at: 6 * HOUR,
      assumed: true,
    });
    expect(effectiveExpiry({ refreshable: false, accessTokenExpiresAt: 7 * HOUR, accessTokenIssuedAt: 5 * HOUR })).toEqual({
      at: 7 * HOUR,
      assumed: false,
    });
    expect(effectiveExpiry({ refreshable: false, accessTokenExpiresAt: undefined, accessTokenIssuedAt: 5 * HOUR })).toBeNull();
    expect(nextMaintenanceAt(oauth({ accessTokenExpiresAt: undefined }), 0, () => 0)).toBe(45 * MIN);
  });

  test("the margin is half the lifetime of a short token, counted from when it was issued", () => {
    expect(marginFor({ marginMs: undefined, accessTokenIssuedAt: 10 * HOUR }, 10 * HOUR + 10 * MIN)).toBe(5 * MIN);
    expect(marginFor({ marginMs: undefined, accessTokenIssuedAt: 10 * HOUR }, 12 * HOUR)).toBe(15 * MIN);
    expect(marginFor({ marginMs: undefined, accessTokenIssuedAt: 10 * HOUR }, 9 * HOUR)).toBe(0);
  });

  test("the jitter is at most a quarter of a small margin", () => {
    expect(nextMaintenanceAt(oauth({ marginMs: 4 * MIN }), 0, () => 1)).toBe(HOUR - 5 * MIN);
  });

  test("a refresh in progress is still live and planned", () => {
    expect(nextMaintenanceAt(oauth({ status: "refreshing" }), 0, () => 0)).toBe(45 * MIN);
    expect(maintenanceDue(oauth({ status: "refreshing" }), 50 * MIN)).toEqual({ action: "refresh", reason: "expiring" });
  });

  test("a token that cannot be refreshed is kept alive daily, whatever its expiry", () => {
    expect(nextMaintenanceAt(oauth({ refreshable: false, accessTokenExpiresAt: HOUR }), 0, () => 0)).toBe(DAY);
  });

  test("keep-alive is due exactly a day after the last activity", () => {
    const input = oauth({ refreshable: false, lastActivityAt: HOUR });
    expect(maintenanceDue(input, HOUR + DAY)).toEqual({ action: "test", reason: "keep_alive" });
    expect(maintenanceDue(input, HOUR + DAY - 1)).toEqual({ action: "none", reason: "not_due" });
  });

  test("a call's threshold is counted from when the token was issued, and a token exactly at it is still fresh", () => {
    const short = oauth({ accessTokenIssuedAt: 10 * HOUR, accessTokenExpiresAt: 10 * HOUR + 4_000 });
    expect(callRefreshDecision(short, 10 * HOUR + 2_000)).toEqual({ should: false, reason: "fresh" });
    expect(callRefreshDecision(short, 10 * HOUR + 2_001)).toEqual({ should: true, reason: "expiring", thresholdMs: 2_000 });
  });

  test("refreshes give up three days after the first failure, counted from it", () => {
    const base = { failure: "unavailable" as const, retryAfterSeconds: undefined, failures: 5 };
    expect(refreshFailurePlan({ ...base, failingSince: 4 * DAY }, 4 * DAY + HOUR, () => 0)).toMatchObject({ kind: "retry", failingSince: 4 * DAY });
    expect(refreshFailurePlan({ ...base, failingSince: 4 * DAY }, 7 * DAY, () => 0)).toEqual({ kind: "exhausted", failingSince: 4 * DAY });
    expect(refreshFailurePlan({ ...base, failingSince: 4 * DAY }, 7 * DAY - 1, () => 0)).toMatchObject({ kind: "retry" });
  });
});

test("a keep-alive test that could not reach the provider is tried again an hour later", () => {
  expect(KEEP_ALIVE_RETRY_MS).toBe(HOUR);
});
