/**
 * One client connection of Convex's sync protocol (`/api/<version>/sync`): the
 * query set, the identity, mutations and actions, and the Transitions that move
 * the client from one version to the next.
 */
import type { UserIdentity } from "convex/server";
import type { JSONValue } from "convex/values";
import type { WebSocket } from "ws";
import { AuthenticationError, type TokenVerifier } from "./auth.mjs";
import type { Backend, CallOutcome } from "./backend.mjs";

type AddQuery = { type: "Add"; queryId: number; udfPath: string; args: JSONValue[]; journal?: string | null };
type RemoveQuery = { type: "Remove"; queryId: number };
type ClientMessage =
  | { type: "Connect"; sessionId: string; connectionCount: number; clientTs?: number }
  | { type: "ModifyQuerySet"; baseVersion: number; newVersion: number; modifications: Array<AddQuery | RemoveQuery> }
  | { type: "Mutation"; requestId: number; udfPath: string; args: JSONValue[] }
  | { type: "Action"; requestId: number; udfPath: string; args: JSONValue[] }
  | { type: "Authenticate"; tokenType: "User" | "Admin" | "None"; value?: string; baseVersion: number }
  | { type: "Event" };

type Version = { querySet: number; identity: number; ts: bigint };
type Subscription = { queryId: number; udfPath: string; args: JSONValue[]; journal: string | null; lastSent?: string };

/** A timestamp as the protocol encodes it: base64 of 8 little-endian bytes. */
export function encodeTs(ts: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ts);
  return bytes.toString("base64");
}

const encodeVersion = (version: Version) => ({ ...version, ts: encodeTs(version.ts) });

/**
 * Mutations by client session and request id. A client resends in-flight
 * mutations after a reconnect; like a deployment, the sandbox answers those from
 * here instead of running them twice.
 */
export class MutationLog {
  private static readonly MAX_SESSIONS = 1_000;
  private static readonly MAX_REQUESTS_PER_SESSION = 1_000;
  private readonly sessions = new Map<string, Map<number, Promise<CallOutcome>>>();

  /** The outcome of `run`, or of the earlier run with the same session and request id. */
  once(sessionId: string, requestId: number, run: () => Promise<CallOutcome>): Promise<CallOutcome> {
    let requests = this.sessions.get(sessionId);
    if (!requests) {
      requests = new Map();
      this.sessions.set(sessionId, requests);
      if (this.sessions.size > MutationLog.MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    }
    let outcome = requests.get(requestId);
    if (!outcome) {
      outcome = run();
      requests.set(requestId, outcome);
      if (requests.size > MutationLog.MAX_REQUESTS_PER_SESSION) requests.delete(requests.keys().next().value!);
    }
    return outcome;
  }
}

export type SessionDeps = {
  backend: Backend;
  verifier: TokenVerifier;
  mutationLog: MutationLog;
  adminKey: string;
};

export class SyncSession {
  private querySetVersion = 0;
  private identityVersion = 0;
  private identity: UserIdentity | null = null;
  private identityExpiresAtMs = Infinity;
  private sent: Version = { querySet: 0, identity: 0, ts: 0n };
  private readonly subscriptions = new Map<number, Subscription>();
  private removed: number[] = [];
  private inbox: Promise<void> = Promise.resolve();
  private mutations: Promise<void> = Promise.resolve();
  private syncing = false;
  private syncAgain = false;
  private closed = false;
  /** The client's own session id (stable across its reconnects), from `Connect`. */
  private clientSessionId: string = crypto.randomUUID();
  /** How far the client's clock is ahead of ours, in ms (it times token refreshes with it). */
  private clientClockSkewMs: number | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: SessionDeps,
  ) {}

  /** Queues a client frame; frames are handled in arrival order. */
  receive(frame: string): void {
    this.inbox = this.inbox.then(() => this.handle(JSON.parse(frame) as ClientMessage)).catch(this.failed);
  }

  /** A broken frame or a sandbox bug ends the connection, as a FatalError does on a deployment. */
  private readonly failed = (error: unknown) => this.fatal(error instanceof Error ? error.message : String(error));

  close(): void {
    this.closed = true;
  }

  send(message: Record<string, unknown>): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private fatal(error: string): void {
    this.send({ type: "FatalError", error });
    this.socket.close(1011, "FatalError");
  }

  private async handle(message: ClientMessage): Promise<void> {
    this.expireIdentity();
    switch (message.type) {
      case "Connect":
        this.clientSessionId = message.sessionId;
        if (typeof message.clientTs === "number") this.clientClockSkewMs = message.clientTs - Date.now();
        return;
      case "Event":
        return;
      case "ModifyQuerySet":
        return this.modifyQuerySet(message);
      case "Authenticate":
        return await this.authenticate(message);
      case "Mutation": {
        const identity = this.identity;
        // One client's mutations run in the order it sent them, as on a deployment.
        this.mutations = this.mutations.then(() => this.mutate(message, identity)).catch(this.failed);
        return;
      }
      case "Action":
        this.act(message, this.identity).catch(this.failed);
        return;
      default:
        message satisfies never;
    }
  }

  private modifyQuerySet(message: Extract<ClientMessage, { type: "ModifyQuerySet" }>): void {
    if (message.baseVersion !== this.querySetVersion) {
      throw new Error(`Base version ${message.baseVersion} passed up doesn't match the current version ${this.querySetVersion}`);
    }
    for (const modification of message.modifications) {
      if (modification.type === "Add") {
        const { queryId, udfPath, args, journal } = modification;
        this.subscriptions.set(queryId, { queryId, udfPath, args, journal: journal ?? null });
      } else {
        this.subscriptions.delete(modification.queryId);
        this.removed.push(modification.queryId);
      }
    }
    this.querySetVersion = message.newVersion;
    this.requestSync();
  }

  private async authenticate(message: Extract<ClientMessage, { type: "Authenticate" }>): Promise<void> {
    let identity: UserIdentity | null = null;
    let expiresAtMs = Infinity;
    try {
      if (message.tokenType === "User") {
        ({ identity, expiresAtMs } = await this.deps.verifier.verifyWithExpiry(message.value ?? ""));
      }
      if (message.tokenType === "Admin" && message.value !== this.deps.adminKey) {
        throw new AuthenticationError("The provided admin key was invalid for this instance");
      }
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      this.identity = null;
      this.send({ type: "AuthError", error: error.message, baseVersion: message.baseVersion, authUpdateAttempted: true });
      return;
    }
    this.identity = identity;
    this.identityExpiresAtMs = expiresAtMs;
    this.identityVersion = message.baseVersion + 1;
    this.requestSync();
  }

  /**
   * A token that expired while connected stops counting, and the client is told
   * so (`authUpdateAttempted: false`) and fetches a fresh one.
   */
  private expireIdentity(): void {
    if (this.identity === null || Date.now() < this.identityExpiresAtMs) return;
    this.identity = null;
    this.identityExpiresAtMs = Infinity;
    const error = "Token expired";
    this.send({ type: "AuthError", error, baseVersion: this.identityVersion - 1, authUpdateAttempted: false });
  }

  private async mutate(message: Extract<ClientMessage, { type: "Mutation" }>, identity: UserIdentity | null) {
    const outcome = await this.deps.mutationLog.once(this.clientSessionId, message.requestId, () =>
      this.deps.backend.call({ kind: "mutation", udfPath: message.udfPath, args: message.args, identity }),
    );
    if (outcome.success) {
      this.send({
        type: "MutationResponse",
        requestId: message.requestId,
        success: true,
        result: outcome.value,
        ts: encodeTs(outcome.ts ?? this.deps.backend.clock.now()),
        logLines: outcome.logLines,
      });
      // The client resolves the mutation only once a Transition reaches its ts.
      this.requestSync();
    } else {
      this.send({ type: "MutationResponse", requestId: message.requestId, ...failure(outcome) });
    }
  }

  private async act(message: Extract<ClientMessage, { type: "Action" }>, identity: UserIdentity | null) {
    const outcome = await this.deps.backend.call({ kind: "action", udfPath: message.udfPath, args: message.args, identity });
    this.send(
      outcome.success
        ? { type: "ActionResponse", requestId: message.requestId, success: true, result: outcome.value, logLines: outcome.logLines }
        : { type: "ActionResponse", requestId: message.requestId, ...failure(outcome) },
    );
  }

  /** Re-runs the subscriptions and sends a Transition; calls made meanwhile coalesce into one more pass. */
  requestSync(): void {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    void (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.syncOnce();
        } while (this.syncAgain && !this.closed);
      } catch (error) {
        this.failed(error);
      } finally {
        this.syncing = false;
      }
    })();
  }

  private async syncOnce(): Promise<void> {
    this.expireIdentity();
    const ts = this.deps.backend.clock.now();
    const querySet = this.querySetVersion;
    const identityVersion = this.identityVersion;
    const identity = this.identity;
    const removed = this.removed;
    this.removed = [];
    const subscriptions = [...this.subscriptions.values()];
    const outcomes = await Promise.all(
      subscriptions.map((s) =>
        this.deps.backend.queries.run({ udfPath: s.udfPath, args: s.args, identity, journal: s.journal }),
      ),
    );
    if (this.closed) return;

    const modifications: Array<Record<string, unknown>> = removed.map((queryId) => ({ type: "QueryRemoved", queryId }));
    subscriptions.forEach((subscription, i) => {
      if (this.subscriptions.get(subscription.queryId) !== subscription) return;
      const outcome = outcomes[i]!;
      subscription.journal ??= outcome.journal;
      const modification = outcome.success
        ? { type: "QueryUpdated", queryId: subscription.queryId, value: outcome.value, journal: outcome.journal }
        : { type: "QueryFailed", queryId: subscription.queryId, ...queryFailure(outcome), journal: outcome.journal };
      // Request ids differ on every run; a failure that did not change is not news.
      const fingerprint = JSON.stringify(modification).replace(/\[Request ID: [0-9a-f]+\]/, "");
      if (fingerprint === subscription.lastSent) return;
      subscription.lastSent = fingerprint;
      modifications.push({ ...modification, logLines: outcome.logLines });
    });

    const end: Version = { querySet, identity: identityVersion, ts: ts > this.sent.ts ? ts : this.sent.ts };
    const unchanged = end.querySet === this.sent.querySet && end.identity === this.sent.identity && end.ts === this.sent.ts;
    if (unchanged && modifications.length === 0) return;
    this.send({
      type: "Transition",
      startVersion: encodeVersion(this.sent),
      endVersion: encodeVersion(end),
      modifications,
      serverTs: Date.now() * 1e6, // nanoseconds
      ...(this.clientClockSkewMs !== undefined ? { clientClockSkew: this.clientClockSkewMs } : {}),
    });
    this.sent = end;
  }
}

function failure(outcome: Extract<CallOutcome, { success: false }>) {
  return {
    success: false,
    result: outcome.errorMessage,
    logLines: outcome.logLines,
    ...(outcome.errorData !== undefined ? { errorData: outcome.errorData } : {}),
  };
}

function queryFailure(outcome: Extract<CallOutcome, { success: false }>) {
  return {
    errorMessage: outcome.errorMessage,
    ...(outcome.errorData !== undefined ? { errorData: outcome.errorData } : {}),
  };
}
