/**
 * A custom webhook: JSON sent to the endpoint the connection stores. The runner sends to
 * that URL (the request's path is "" and it has no query), and the pipeline adds the auth
 * header the connection was set up with (none, an API-key header, Bearer or Basic:
 * lib/providers/custom-webhook.ts), last, so nothing here can replace it.
 *
 * With `variables`, the body is a JSON template rendered against them (lib/templates.ts): a
 * value lands as a JSON value, never as text pasted into JSON; without, it is sent as given. A POST is sent once unless
 * `retry.maxAttempts` > 1; then it carries `Idempotency-Key: <the run's correlation id>`,
 * the same on every send, so the pipeline may re-send it on 429/502/503/504 (honouring
 * Retry-After up to 10 s) and the receiver can drop the duplicates (the
 * draft-ietf-httpapi-idempotency-key-header convention). Redirects are never followed.
 */
import { z } from "zod";
import { requestHeaderProblem } from "../../pipeline";
import { renderTemplate } from "../../templates";
import { defineAction, type ActionAnswer, type ActionContext } from "../define";
import { failureOfStatus, type ActionFailure } from "../errors";

const NAME = "The endpoint";
const METHODS = ["POST", "PUT", "PATCH"] as const;
type Method = (typeof METHODS)[number];

/** Headers the action sets itself: the body is JSON, and the idempotency key is the run's. */
const OWN_HEADERS = new Set(["content-type", "idempotency-key"]);
/** Most bytes of JSON one delivery sends. */
export const MAX_BODY_BYTES = 512 * 1024;
/** Most characters of a text answer kept in the output. */
export const MAX_TEXT_ANSWER = 64 * 1024;

const STATUS_CLASSES = ["2xx", "3xx", "4xx"] as const;
type SuccessStatus = number | (typeof STATUS_CLASSES)[number];

const variableValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const headerValueField = z.string().max(8_192, "A header value has at most 8,192 characters.");

const input = z
  .object({
    method: z.enum(METHODS).optional().meta({ title: "Method", description: "The connection's method when left out." }),
    headers: z
      .record(z.string(), headerValueField)
      .superRefine((headers, ctx) => {
        for (const [name, value] of Object.entries(headers)) {
          const problem = requestHeaderProblem({ [name]: value });
          const own = OWN_HEADERS.has(name.toLowerCase());
          if (!problem && !own) continue;
          const message = own
            ? `${name} is set by Switchboard (the body is JSON; the idempotency key is the run's).`
            : problem!.reason === "reserved"
              ? `${name} carries credentials or transport details: set authentication on the connection instead.`
              : problem!.reason === "invalid_name"
                ? `"${name}" is not a valid header name.`
                : `The value of ${name} cannot hold line breaks.`;
          ctx.addIssue({ code: "custom", path: [name], message });
        }
      })
      .optional()
      .meta({ title: "Headers", description: "Extra request headers; the connection's authentication is added by Switchboard.", examples: [{ "X-Source": "switchboard" }] }),
    body: z.json().meta({
      title: "Body",
      description: "Any JSON; with variables, strings may reference them as {{name}} (a string that is only a reference takes the value itself). Without variables it is sent as given.",
      examples: [{ event: "deploy", version: "{{version}}", message: "Deployed {{version}}" }],
    }),
    variables: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+$/, "A variable name is letters, digits, _ and -."), variableValue)
      .optional()
      .meta({ title: "Variables", description: "Values the body's {{references}} read.", examples: [{ version: "1.4.2" }] }),
    retry: z
      .object({
        maxAttempts: z.number().int("A whole number of attempts.").min(1, "At least 1 attempt.").max(5, "At most 5 attempts."),
      })
      .optional()
      .meta({ title: "Retry", description: "More than 1 attempt re-sends on 429/502/503/504 with an Idempotency-Key the receiver should deduplicate on." }),
    timeoutMs: z
      .number()
      .int("A whole number of milliseconds.")
      .min(1_000, "At least 1,000 ms.")
      .max(30_000, "At most 30,000 ms.")
      .default(10_000)
      .meta({ title: "Time limit (ms)", description: "Per attempt." }),
    successStatuses: z
      .array(z.union([z.number().int().min(100, "A status is 100 to 599.").max(599, "A status is 100 to 599."), z.enum(STATUS_CLASSES)]))
      .min(1, "List at least one status or class.")
      .default(["2xx"])
      .meta({ title: "Success statuses", description: 'Statuses (404) or classes ("2xx", "3xx", "4xx") that count as success; a redirect is never followed.' }),
  })
  .transform((value, ctx) => {
    // Without variables the body is sent as given: in a workflow it was rendered already,
    // and rendering its data again would read a "{{" in an earlier step's output as a reference.
    if (value.variables === undefined) return { ...value, rendered: value.body };
    const rendered = renderTemplate(value.body, value.variables);
    if (!rendered.ok) {
      const at = rendered.error.at === "" ? [] : rendered.error.at.split(".");
      ctx.addIssue({ code: "custom", path: ["body", ...at], message: rendered.error.message });
      return z.NEVER;
    }
    if (new TextEncoder().encode(JSON.stringify(rendered.value)).length > MAX_BODY_BYTES) {
      ctx.addIssue({ code: "custom", path: ["body"], message: "The rendered body is over 512 KiB." });
      return z.NEVER;
    }
    return { ...value, rendered: rendered.value };
  });

type Input = z.output<typeof input>;

/** The connection's configured method, or POST. */
function methodOf(requested: Method | undefined, context: ActionContext): Method {
  if (requested) return requested;
  const configured = context.config.method?.toUpperCase();
  return (METHODS as readonly string[]).includes(configured ?? "") ? (configured as Method) : "POST";
}

/** Whether `status` is one of `successStatuses` (a number, or its class). */
export function isSuccessStatus(status: number, successStatuses: readonly SuccessStatus[]): boolean {
  return successStatuses.some((item) => (typeof item === "number" ? item === status : `${Math.floor(status / 100)}xx` === item));
}

function isJsonType(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType?.trim() ?? "");
}

/**
 * A status outside the success list. 401 is `auth_revoked`: the pipeline marks the
 * connection unauthorized on any 401 (there is nothing to refresh), so every later run
 * says "reconnect" anyway, and reconnecting with the right authentication settings is the
 * fix. A 403 may be about the request rather than who sent it, so it stays a
 * provider_error that names the credentials as the likely cause.
 */
export function webhookFailure(answer: ActionAnswer): ActionFailure {
  const { status } = answer;
  if (status === 401) {
    return {
      code: "auth_revoked",
      message: "The endpoint refused our credentials (HTTP 401): check the connection's authentication and reconnect it.",
      retryable: false,
      status,
    };
  }
  if (status === 403) {
    return {
      code: "provider_error",
      message: "The endpoint refused our credentials (HTTP 403): check the connection's authentication settings.",
      retryable: false,
      status,
    };
  }
  if (status >= 300 && status < 400) {
    const location = answer.headers.location ? ` to ${answer.headers.location}` : "";
    return { code: "provider_error", message: `The endpoint redirected${location} (HTTP ${status}); redirects are not followed.`, retryable: false, status };
  }
  return failureOfStatus(answer, NAME);
}

export const customWebhookSendRequest = defineAction({
  id: "custom-webhook.send_request",
  version: 1,
  providerId: "custom-webhook",
  title: "Send a request",
  description: "Sends JSON to the connection's endpoint with its authentication, and answers what the endpoint answered.",
  effect: "write",
  scopes: [],
  input,
  output: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()).describe("The answer's headers that are safe to show, names lower-cased."),
    body: z.json().describe("The parsed JSON when the answer is JSON, else its text (cut to 64 KiB)."),
    json: z.boolean().describe("Whether body is parsed JSON."),
  }),
  request: (value: Input, context) => {
    const headers: Record<string, string> = { ...(value.headers ?? {}) };
    // The connection's own auth header would replace a same-named one anyway: say so instead.
    const authHeader = context.config.authMode === "header" ? context.config.headerName?.toLowerCase() : undefined;
    const clash = Object.keys(headers).find((name) => name.toLowerCase() === authHeader);
    if (clash) throw new Error(`${clash} is the connection's authentication header; it cannot be set here.`);
    const maxAttempts = value.retry?.maxAttempts ?? 1;
    if (maxAttempts > 1) headers["Idempotency-Key"] = context.correlationId;
    return {
      method: methodOf(value.method, context),
      path: "",
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      body: { json: value.rendered },
      maxAttempts,
      timeoutMs: value.timeoutMs,
    };
  },
  response: (answer, value: Input) => {
    if (!isSuccessStatus(answer.status, value.successStatuses)) return { ok: false, error: webhookFailure(answer) };
    const json = answer.json !== undefined && isJsonType(answer.headers["content-type"]);
    return {
      ok: true,
      output: {
        status: answer.status,
        headers: answer.headers,
        body: json ? (answer.json as z.infer<ReturnType<typeof z.json>>) : answer.body.slice(0, MAX_TEXT_ANSWER),
        json,
      },
    };
  },
});

export const customWebhookActions = [customWebhookSendRequest];
