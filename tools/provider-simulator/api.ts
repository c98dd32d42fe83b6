import type { ApiKeyProvider, BasicProvider, OAuth2Provider, Provider } from "../../lib/providers/index";
import { accountResponse } from "./accounts";
import { basicUserCredentials, bearerToken, header, json, text, type SimRequest, type SimResponse } from "./http-utils";
import { failureResponse, methodNotAllowed, unauthorized, type HandlerContext, type RouteResult } from "./responses";
import { isTestRequest, isWebhookPath, type ProviderRoutes } from "./routes";
import { API_MODULES, WEBHOOK_RECEIVERS } from "./apis/index";
import type { Account, SimulatorState } from "./state";

/** The account a valid credential speaks for, or the refusal to send. */
type Authenticated = { ok: true; account: Account; scopes?: string[] } | { ok: false; response: SimResponse };

function authenticateOAuth(ctx: HandlerContext, provider: OAuth2Provider, req: SimRequest): Authenticated {
  const token = bearerToken(req);
  if (!token) return { ok: false, response: unauthorized(provider, "missing") };
  const record = ctx.state.tokens.get(token);
  const ours = record && record.kind === "access_token" && record.providerId === provider.id ? record : undefined;
  const problem = ctx.state.tokenProblem(ours);
  if (problem) return { ok: false, response: unauthorized(provider, problem) };
  const grant = ctx.state.grants.get(ours!.grantId)!;
  return { ok: true, account: grant.account, scopes: grant.scopes };
}

// WordPress's REST errors for bad application passwords. User credentials are RFC 7617
// Basic, plain UTF-8: unlike OAuth client credentials they are not form-urlencoded.
function authenticateBasic(ctx: HandlerContext, provider: BasicProvider, req: SimRequest): Authenticated {
  const credentials = basicUserCredentials(req);
  const refuse = (code: string, message: string): Authenticated => ({
    ok: false,
    response: json(401, { code, message, data: { status: 401 } }),
  });
  if (credentials.kind !== "credentials") return refuse("rest_not_logged_in", "You are not currently logged in.");
  const users = ctx.state.basicUsers.get(provider.id)!;
  const expected = users.get(credentials.username);
  if (expected === undefined) return refuse("invalid_username", "Unknown username.");
  if (credentials.password.replace(/\s+/g, "") !== expected) {
    return refuse("incorrect_password", "The provided password is an invalid application password.");
  }
  return { ok: true, account: { ...ctx.state.accounts.get(provider.id)!, name: credentials.username } };
}

// Trello answers bad keys and tokens in plain text.
function authenticateApiKey(ctx: HandlerContext, provider: ApiKeyProvider, req: SimRequest): Authenticated {
  const sent = Object.fromEntries(
    provider.placement.map((p) => [
      p.field,
      p.in === "query" ? req.query.get(p.name) : stripPrefix(header(req, p.name), p.prefix),
    ]),
  );
  const accepted = ctx.state.apiKeyCredentials.get(provider.id) ?? [];
  if (accepted.some((values) => provider.placement.every((p) => sent[p.field] === values[p.field]))) {
    return { ok: true, account: ctx.state.accounts.get(provider.id)! };
  }
  const first = provider.placement.find((p) => !accepted.some((values) => values[p.field] === sent[p.field]));
  return { ok: false, response: text(401, `invalid ${first?.name ?? "credentials"}`) };
}

function stripPrefix(value: string | undefined, prefix: string | undefined): string | null {
  if (value === undefined) return null;
  return prefix && value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

function authenticate(ctx: HandlerContext, provider: Provider, req: SimRequest): Authenticated {
  switch (provider.authKind) {
    case "oauth2":
      return authenticateOAuth(ctx, provider, req);
    case "basic":
      return authenticateBasic(ctx, provider, req);
    case "api_key":
      return authenticateApiKey(ctx, provider, req);
    case "webhook_url":
      return { ok: false, response: json(400, { error: "webhook providers have no API" }) };
    default:
      return provider satisfies never;
  }
}

/** The catalog's default headers must arrive exactly (Notion-Version, Reddit's User-Agent, GitHub's Accept). */
function missingHeader(provider: Provider, req: SimRequest): SimResponse | null {
  for (const [name, value] of Object.entries(provider.defaultHeaders)) {
    const received = header(req, name);
    if (received !== value) {
      return json(400, {
        error: "missing_header",
        header: name,
        expected: value,
        message: `${name}: ${value} is required (catalog defaultHeaders for ${provider.id}); received ${received === undefined ? "nothing" : JSON.stringify(received)}.`,
      });
    }
  }
  return null;
}

function echo(routes: ProviderRoutes, req: SimRequest): SimResponse {
  return json(200, {
    simulated: true,
    provider: routes.provider.id,
    method: req.method,
    path: req.path,
    apiPath: req.path.slice(routes.apiBasePath!.replace(/\/+$/, "").length) || "/",
    query: Object.fromEntries(req.query),
    body: req.bodyFormat === "json" ? req.json : req.bodyFormat === "form" ? req.params : req.rawBody || null,
    headerNames: Object.keys(req.headers).sort(),
  });
}

/** Header names never recorded: they carry credentials. */
function credentialHeaderNames(provider: Provider): Set<string> {
  const names = new Set(["authorization", "cookie", "proxy-authorization"]);
  if (provider.authKind === "api_key") for (const p of provider.placement) if (p.in === "header") names.add(p.name.toLowerCase());
  return names;
}

/** Query names never recorded: they carry credentials (Trello's key and token). */
function credentialQueryNames(provider: Provider): Set<string> {
  return new Set(provider.authKind === "api_key" ? provider.placement.filter((p) => p.in === "query").map((p) => p.name) : []);
}

function recordCall(state: SimulatorState, provider: Provider, req: SimRequest, apiPath: string): void {
  const hidden = credentialHeaderNames(provider);
  const hiddenQuery = credentialQueryNames(provider);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!hidden.has(name)) headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
  }
  state.apiCalls.push({
    seq: state.apiCalls.length + 1,
    providerId: provider.id,
    method: req.method,
    apiPath,
    query: Object.fromEntries([...req.query].filter(([name]) => !hiddenQuery.has(name))),
    headers,
    contentType: req.contentType,
    body: req.bodyFormat === "json" ? req.json : req.bodyFormat === "form" ? req.params : req.rawBody || null,
    rawBody: req.rawBody,
  });
}

/** Any request under a provider's API base: auth, provider headers, then the test answer, the provider's API module, or an echo. */
export async function handleApi(ctx: HandlerContext, routes: ProviderRoutes, req: SimRequest): Promise<RouteResult> {
  const { provider } = routes;
  const isTest = isTestRequest(routes, req);
  const done = (response: SimResponse): RouteResult => ({
    providerId: provider.id,
    endpoint: isTest ? "test" : "api",
    response,
  });
  const apiPath = req.path.slice(routes.apiBasePath!.replace(/\/+$/, "").length) || "/";
  // Recorded as it arrived, whatever the answer: tests assert what reached the provider.
  if (!isTest) recordCall(ctx.state, provider, req, apiPath);
  const failure = ctx.state.takeFailure(provider.id, "api");
  if (failure) return done(failureResponse(provider, req, failure, "api"));
  const auth = authenticate(ctx, provider, req);
  if (!auth.ok) return done(auth.response);
  const headerProblem = missingHeader(provider, req);
  if (headerProblem) return done(headerProblem);
  if (isTest) return done(json(200, accountResponse(provider, auth.account, ctx.baseUrl)));
  // A module may wait on the network (Graph validates a notification URL before it answers).
  const played = await API_MODULES[provider.id]?.({
    req,
    apiPath,
    account: auth.account,
    scopes: auth.scopes ?? [],
    world: ctx.state.world(provider.id),
    baseUrl: ctx.baseUrl,
    now: ctx.state.now(),
  });
  return done(played ?? echo(routes, req));
}

const WEBHOOK_METHODS = ["POST", "PUT", "PATCH"];

/** Incoming-webhook receivers (Pumble, custom webhooks): record what arrived. */
export function handleWebhook(ctx: HandlerContext, routes: ProviderRoutes, req: SimRequest): RouteResult | null {
  const { provider } = routes;
  if (!isWebhookPath(routes, req.path)) return null;
  if (!WEBHOOK_METHODS.includes(req.method)) return methodNotAllowed(provider.id, "webhook", WEBHOOK_METHODS);
  const done = (response: SimResponse): RouteResult => ({ providerId: provider.id, endpoint: "webhook", response });
  // Recorded as it arrived, whatever the answer (as API calls are).
  recordCall(ctx.state, provider, req, req.path);
  const failure = ctx.state.takeFailure(provider.id, "api");
  if (failure) return done(failureResponse(provider, req, failure, "api"));
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
  );
  ctx.state.deliveries.push({
    providerId: provider.id,
    method: req.method,
    path: req.path,
    query: Object.fromEntries(req.query),
    headers,
    contentType: req.contentType,
    body: req.bodyFormat === "json" ? req.json : req.bodyFormat === "form" ? req.params : req.rawBody,
    rawBody: req.rawBody,
    at: ctx.state.now(),
  });
  const scripted = ctx.state.webhookAnswers.take(provider.id)?.value;
  if (scripted) {
    return done("json" in scripted.body ? json(scripted.status, scripted.body.json, scripted.headers) : text(scripted.status, scripted.body.text, scripted.headers));
  }
  return done(WEBHOOK_RECEIVERS[provider.id]?.(req) ?? json(200, { ok: true }));
}
