/**
 * The Test dialog behind a connection: an admin sends one request of their choosing
 * through the call pipeline and sees the answer with its correlation id. Input is
 * checked with zod first, so a bad request is a coded error naming the field and
 * nothing is sent.
 */
import { ConvexError, v } from "convex/values";
import { z } from "zod";
import { ErrorCode } from "../../lib/errors";
import { CALL_METHODS, MAX_CALL_PATH_LENGTH } from "../../lib/http";
import { requestHeaderProblem } from "../../lib/pipeline";
import { getProvider } from "../../lib/providers";
import { orgAction } from "../functions";
import { runCall } from "./pipeline";

/** Largest JSON body the dialog may send. */
export const TEST_REQUEST_MAX_BODY_BYTES = 64 * 1024;
const MAX_ENTRIES = 50;

const testRequestSchema = z
  .object({
    providerId: z.string().refine((id) => getProvider(id) !== null, { error: "There is no such provider." }),
    method: z.enum(CALL_METHODS, { error: `The method must be one of ${CALL_METHODS.join(", ")}.` }),
    path: z
      .string()
      .min(1, { error: "Enter a path, like /user." })
      .max(MAX_CALL_PATH_LENGTH, { error: "The path is too long." })
      .refine((path) => path.startsWith("/") && !path.startsWith("//"), {
        error: "The path must start with / and is relative to the provider's API (no host).",
      }),
    query: z
      .record(z.string().min(1).max(256), z.string().max(4096))
      .refine((query) => Object.keys(query).length <= MAX_ENTRIES, { error: `At most ${MAX_ENTRIES} query parameters.` })
      .optional(),
    headers: z
      .record(z.string(), z.string().max(4096))
      .refine((headers) => Object.keys(headers).length <= MAX_ENTRIES, { error: `At most ${MAX_ENTRIES} headers.` })
      .superRefine((headers, ctx) => {
        const problem = requestHeaderProblem(headers);
        if (problem) {
          ctx.addIssue({
            code: "custom",
            message:
              problem.reason === "reserved"
                ? `"${problem.name}" is set by Switchboard (the connection's credential is added for you).`
                : `"${problem.name}" is not a valid header.`,
          });
        }
      })
      .optional(),
    body: z
      .string()
      .max(TEST_REQUEST_MAX_BODY_BYTES, { error: "The body is larger than 64 KB." })
      .refine(isJson, { error: "The body must be valid JSON." })
      .optional(),
  })
  .refine((input) => input.body === undefined || (input.method !== "GET" && input.method !== "HEAD"), {
    error: "GET and HEAD requests cannot have a body.",
    path: ["body"],
  });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The first zod issue as the coded error the dialog shows next to its field. */
function invalidInput(error: z.ZodError): ConvexError<{ code: ErrorCode; message: string; field?: string }> {
  const issue = error.issues[0]!;
  const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  return new ConvexError({ code: ErrorCode.INVALID_INPUT, message: issue.message, ...(field ? { field } : {}) });
}

export type TestRequestAnswer = {
  status: number;
  headers: Record<string, string>;
  body: string;
  latencyMs: number;
  correlationId: string;
};

/** Sends the admin's request through the pipeline (logged, counted, redacted like any call). */
export const send = orgAction({
  role: "admin",
  args: {
    providerId: v.string(),
    method: v.string(),
    path: v.string(),
    query: v.optional(v.record(v.string(), v.string())),
    headers: v.optional(v.record(v.string(), v.string())),
    body: v.optional(v.string()),
  },
  handler: async (ctx, args): Promise<TestRequestAnswer> => {
    const parsed = testRequestSchema.safeParse(args);
    if (!parsed.success) throw invalidInput(parsed.error);
    const request = parsed.data;
    const result = await runCall(
      ctx,
      {
        orgId: ctx.org._id,
        providerId: request.providerId,
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
        body: request.body,
        actor: { kind: "user", id: ctx.userId },
      },
      // The answer goes to a browser: the connection's own secrets never do.
      { redactAnswer: true },
    );
    return {
      status: result.status,
      headers: result.headers,
      body: result.body,
      latencyMs: result.latencyMs,
      correlationId: result.correlationId,
    };
  },
});
