/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type * as apiKeys_auth from "../apiKeys/auth.js";
import type * as apiKeys_keys from "../apiKeys/keys.js";
import type * as apiKeys_model from "../apiKeys/model.js";
import type * as apiKeys_store from "../apiKeys/store.js";
import type * as apiKeys_usage from "../apiKeys/usage.js";
import type * as apiKeys_validators from "../apiKeys/validators.js";
import type * as audit_events from "../audit/events.js";
import type * as audit_record from "../audit/record.js";
import type * as auth from "../auth.js";
import type * as calls_counters from "../calls/counters.js";
import type * as calls_credentials from "../calls/credentials.js";
import type * as calls_logs from "../calls/logs.js";
import type * as calls_pipeline from "../calls/pipeline.js";
import type * as calls_retention from "../calls/retention.js";
import type * as calls_send from "../calls/send.js";
import type * as calls_testRequest from "../calls/testRequest.js";
import type * as calls_validators from "../calls/validators.js";
import type * as connections_maintenance from "../connections/maintenance.js";
import type * as connections_revocations from "../connections/revocations.js";
import type * as connections_transitions from "../connections/transitions.js";
import type * as crons from "../crons.js";
import type * as functions from "../functions.js";
import type * as http from "../http.js";
import type * as integrations_connections from "../integrations/connections.js";
import type * as integrations_credentials from "../integrations/credentials.js";
import type * as integrations_details from "../integrations/details.js";
import type * as integrations_oauth from "../integrations/oauth.js";
import type * as integrations_oauthFinish from "../integrations/oauthFinish.js";
import type * as integrations_rotation from "../integrations/rotation.js";
import type * as integrations_store from "../integrations/store.js";
import type * as orgs_access from "../orgs/access.js";
import type * as orgs_deletion from "../orgs/deletion.js";
import type * as orgs_members from "../orgs/members.js";
import type * as orgs_organizations from "../orgs/organizations.js";
import type * as orgs_settings from "../orgs/settings.js";
import type * as providerActions_catalog from "../providerActions/catalog.js";
import type * as providerActions_idempotency from "../providerActions/idempotency.js";
import type * as providerActions_run from "../providerActions/run.js";
import type * as providerActions_tryIt from "../providerActions/tryIt.js";
import type * as providerActions_validators from "../providerActions/validators.js";
import type * as publicApi_answers from "../publicApi/answers.js";
import type * as publicApi_data from "../publicApi/data.js";
import type * as publicApi_eventHandlers from "../publicApi/eventHandlers.js";
import type * as publicApi_events from "../publicApi/events.js";
import type * as publicApi_handlers from "../publicApi/handlers.js";
import type * as publicApi_router from "../publicApi/router.js";
import type * as publicApi_webhookEndpointHandlers from "../publicApi/webhookEndpointHandlers.js";
import type * as publicApi_webhookEndpoints from "../publicApi/webhookEndpoints.js";
import type * as refresh_lease from "../refresh/lease.js";
import type * as refresh_singleFlight from "../refresh/singleFlight.js";
import type * as refresh_state from "../refresh/state.js";
import type * as refresh_sweep from "../refresh/sweep.js";
import type * as refresh_worker from "../refresh/worker.js";
import type * as shared_env from "../shared/env.js";
import type * as shared_mail from "../shared/mail.js";
import type * as shared_providerHttp from "../shared/providerHttp.js";
import type * as shared_safeHttp from "../shared/safeHttp.js";
import type * as shared_secrets from "../shared/secrets.js";
import type * as shared_validators from "../shared/validators.js";
import type * as users_password from "../users/password.js";
import type * as users_resetThrottle from "../users/resetThrottle.js";
import type * as users_viewer from "../users/viewer.js";
import type * as webhooks_inbound_endpoints from "../webhooks/inbound/endpoints.js";
import type * as webhooks_inbound_events from "../webhooks/inbound/events.js";
import type * as webhooks_inbound_ingest from "../webhooks/inbound/ingest.js";
import type * as webhooks_inbound_processing from "../webhooks/inbound/processing.js";
import type * as webhooks_inbound_receive from "../webhooks/inbound/receive.js";
import type * as webhooks_inbound_subscriptions from "../webhooks/inbound/subscriptions.js";
import type * as webhooks_inbound_tables from "../webhooks/inbound/tables.js";
import type * as webhooks_outbound_deliveries from "../webhooks/outbound/deliveries.js";
import type * as webhooks_outbound_emit from "../webhooks/outbound/emit.js";
import type * as webhooks_outbound_endpoints from "../webhooks/outbound/endpoints.js";
import type * as webhooks_outbound_fanout from "../webhooks/outbound/fanout.js";
import type * as webhooks_outbound_health from "../webhooks/outbound/health.js";
import type * as webhooks_outbound_model from "../webhooks/outbound/model.js";
import type * as webhooks_outbound_retention from "../webhooks/outbound/retention.js";
import type * as webhooks_outbound_sender from "../webhooks/outbound/sender.js";
import type * as webhooks_outbound_tables from "../webhooks/outbound/tables.js";
import type * as workflows_definitions from "../workflows/definitions.js";
import type * as workflows_events from "../workflows/events.js";
import type * as workflows_model from "../workflows/model.js";
import type * as workflows_retention from "../workflows/retention.js";
import type * as workflows_runner from "../workflows/runner.js";
import type * as workflows_runs from "../workflows/runs.js";
import type * as workflows_schedule from "../workflows/schedule.js";
import type * as workflows_validators from "../workflows/validators.js";

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";

declare const fullApi: ApiFromModules<{
  "apiKeys/auth": typeof apiKeys_auth;
  "apiKeys/keys": typeof apiKeys_keys;
  "apiKeys/model": typeof apiKeys_model;
  "apiKeys/store": typeof apiKeys_store;
  "apiKeys/usage": typeof apiKeys_usage;
  "apiKeys/validators": typeof apiKeys_validators;
  "audit/events": typeof audit_events;
  "audit/record": typeof audit_record;
  auth: typeof auth;
  "calls/counters": typeof calls_counters;
  "calls/credentials": typeof calls_credentials;
  "calls/logs": typeof calls_logs;
  "calls/pipeline": typeof calls_pipeline;
  "calls/retention": typeof calls_retention;
  "calls/send": typeof calls_send;
  "calls/testRequest": typeof calls_testRequest;
  "calls/validators": typeof calls_validators;
  "connections/maintenance": typeof connections_maintenance;
  "connections/revocations": typeof connections_revocations;
  "connections/transitions": typeof connections_transitions;
  crons: typeof crons;
  functions: typeof functions;
  http: typeof http;
  "integrations/connections": typeof integrations_connections;
  "integrations/credentials": typeof integrations_credentials;
  "integrations/details": typeof integrations_details;
  "integrations/oauth": typeof integrations_oauth;
  "integrations/oauthFinish": typeof integrations_oauthFinish;
  "integrations/rotation": typeof integrations_rotation;
  "integrations/store": typeof integrations_store;
  "orgs/access": typeof orgs_access;
  "orgs/deletion": typeof orgs_deletion;
  "orgs/members": typeof orgs_members;
  "orgs/organizations": typeof orgs_organizations;
  "orgs/settings": typeof orgs_settings;
  "providerActions/catalog": typeof providerActions_catalog;
  "providerActions/idempotency": typeof providerActions_idempotency;
  "providerActions/run": typeof providerActions_run;
  "providerActions/tryIt": typeof providerActions_tryIt;
  "providerActions/validators": typeof providerActions_validators;
  "publicApi/answers": typeof publicApi_answers;
  "publicApi/data": typeof publicApi_data;
  "publicApi/eventHandlers": typeof publicApi_eventHandlers;
  "publicApi/events": typeof publicApi_events;
  "publicApi/handlers": typeof publicApi_handlers;
  "publicApi/router": typeof publicApi_router;
  "publicApi/webhookEndpointHandlers": typeof publicApi_webhookEndpointHandlers;
  "publicApi/webhookEndpoints": typeof publicApi_webhookEndpoints;
  "refresh/lease": typeof refresh_lease;
  "refresh/singleFlight": typeof refresh_singleFlight;
  "refresh/state": typeof refresh_state;
  "refresh/sweep": typeof refresh_sweep;
  "refresh/worker": typeof refresh_worker;
  "shared/env": typeof shared_env;
  "shared/mail": typeof shared_mail;
  "shared/providerHttp": typeof shared_providerHttp;
  "shared/safeHttp": typeof shared_safeHttp;
  "shared/secrets": typeof shared_secrets;
  "shared/validators": typeof shared_validators;
  "users/password": typeof users_password;
  "users/resetThrottle": typeof users_resetThrottle;
  "users/viewer": typeof users_viewer;
  "webhooks/inbound/endpoints": typeof webhooks_inbound_endpoints;
  "webhooks/inbound/events": typeof webhooks_inbound_events;
  "webhooks/inbound/ingest": typeof webhooks_inbound_ingest;
  "webhooks/inbound/processing": typeof webhooks_inbound_processing;
  "webhooks/inbound/receive": typeof webhooks_inbound_receive;
  "webhooks/inbound/subscriptions": typeof webhooks_inbound_subscriptions;
  "webhooks/inbound/tables": typeof webhooks_inbound_tables;
  "webhooks/outbound/deliveries": typeof webhooks_outbound_deliveries;
  "webhooks/outbound/emit": typeof webhooks_outbound_emit;
  "webhooks/outbound/endpoints": typeof webhooks_outbound_endpoints;
  "webhooks/outbound/fanout": typeof webhooks_outbound_fanout;
  "webhooks/outbound/health": typeof webhooks_outbound_health;
  "webhooks/outbound/model": typeof webhooks_outbound_model;
  "webhooks/outbound/retention": typeof webhooks_outbound_retention;
  "webhooks/outbound/sender": typeof webhooks_outbound_sender;
  "webhooks/outbound/tables": typeof webhooks_outbound_tables;
  "workflows/definitions": typeof workflows_definitions;
  "workflows/events": typeof workflows_events;
  "workflows/model": typeof workflows_model;
  "workflows/retention": typeof workflows_retention;
  "workflows/runner": typeof workflows_runner;
  "workflows/runs": typeof workflows_runs;
  "workflows/schedule": typeof workflows_schedule;
  "workflows/validators": typeof workflows_validators;
}>;

/**
 * A utility for referencing Convex functions in your app's public API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;

/**
 * A utility for referencing Convex functions in your app's internal API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = internal.myModule.myFunction;
 * ```
 */
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;

export declare const components: {};
