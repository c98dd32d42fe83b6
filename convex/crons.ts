import { cronJobs } from "convex/server";
import { internal } from "./_generated/api";

const crons = cronJobs();

// OAuth states live 10 minutes; spent and abandoned ones are swept every 15.
crons.interval("remove expired OAuth states", { minutes: 15 }, internal.integrations.oauth.cleanupExpiredStates, {});

// Each connection has its own refresh job; the sweep restarts any that were missed.
crons.interval("restart missed token refreshes", { minutes: 5 }, internal.refresh.sweep.run, {});

// Call logs are kept CALL_LOG_RETENTION_DAYS (30 by default); older rows go once a day.
crons.daily("delete expired call logs", { hourUTC: 3, minuteUTC: 17 }, internal.calls.retention.purge, {});

// Action idempotency keys are kept 24 hours; expired ones go every hour.
crons.interval("remove expired action idempotency keys", { hours: 1 }, internal.providerActions.idempotency.purge, {});

// A workflow step whose job died without reporting is failed (retryably) within a minute.
crons.interval("recover stalled workflow runs", { minutes: 1 }, internal.workflows.runner.recover, {});

// Finished workflow runs are kept WORKFLOW_RUN_RETENTION_DAYS (30 by default); older ones go once a day.
crons.daily("delete expired workflow runs", { hourUTC: 3, minuteUTC: 41 }, internal.workflows.retention.purge, {});

// The webhook delivery log keeps 30 days; older messages and their attempts go once a day.
crons.daily("delete expired webhook deliveries", { hourUTC: 4, minuteUTC: 7 }, internal.webhooks.outbound.retention.purge, {});
// API key request logs and day counters are kept API_KEY_USAGE_RETENTION_DAYS (30 by default).
crons.daily("delete expired API key usage", { hourUTC: 3, minuteUTC: 53 }, internal.apiKeys.usage.purge, {});

// Inbound events are kept as long as call logs; processing whose job died is restarted.
crons.daily("delete expired inbound events", { hourUTC: 4, minuteUTC: 29 }, internal.webhooks.inbound.events.purge, {});
crons.interval("restart stalled inbound event processing", { minutes: 5 }, internal.webhooks.inbound.events.restartStalled, {});
// Each Graph subscription and Calendar channel has its own renewal job; the sweep restarts any that were missed.
crons.interval("restart missed webhook subscription renewals", { minutes: 30 }, internal.webhooks.inbound.subscriptions.sweepRenewals, {});

export default crons;
