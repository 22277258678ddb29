import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { isAuthorized } from "./auth.ts";
import { statusFaultError } from "./fault-response.ts";
import type { FaultDecision, FaultEngine } from "./faults.ts";
import {
  createGroup,
  groupNotFound,
  listGroups,
  type Outcome,
  retrieveGroup,
  updateGroup,
} from "./handlers.ts";
import { HttpError, methodNotAllowed, notFound, unauthorized } from "./http-errors.ts";
import type { Journal } from "./journal.ts";
import { journalBody, type RequestBody, readBody } from "./request-body.ts";
import { sendError, sendJson } from "./responses.ts";
import { isApiPath, matchRoute, type RequestTarget, type RouteMatch, splitTarget } from "./routing.ts";
import type { GroupStore } from "./store.ts";
import type { JournalEntry } from "./types.ts";

export interface EmulatorState {
  readonly store: GroupStore;
  readonly journal: Journal;
  readonly apiKeys: readonly string[];
  readonly externalReferenceFilter: boolean;
  /** The current faults (setFaults swaps them while running). */
  faults(): FaultEngine;
  /** Aborted by stop(): pending latency and hanging requests end at once. */
  readonly lifetime: AbortSignal;
}

type Recorder = (status: JournalEntry["status"], extra?: Pick<JournalEntry, "fault" | "groupId">) => void;

/**
 * One request: read the body, 404 outside /v1, authenticate, then (faults only apply past this point) wait out
 * latency, maybe inject a fault, else serve the endpoint. Headers never reach the journal.
 */
export async function handleRequest(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const seq = state.journal.nextSeq();
  const at = Date.now();
  const method = (req.method ?? "GET").toUpperCase();
  const target = splitTarget(req.url ?? "/");
  const body = await readBody(req);
  if (!body) return;
  const record: Recorder = (status, extra = {}) => {
    const query = Object.fromEntries(target.query);
    const entry: JournalEntry = {
      seq,
      at,
      method,
      path: target.path,
      query,
      body: journalBody(body),
      status,
    };
    if (extra.fault !== undefined) entry.fault = extra.fault;
    if (extra.groupId !== undefined) entry.groupId = extra.groupId;
    state.journal.record(entry);
  };

  if (!isApiPath(target.path)) return answerError(res, notFound(), record);
  if (!isAuthorized(req.headers.authorization, state.apiKeys)) {
    return answerError(res, unauthorized(), record);
  }

  const latency = state.faults().latencyMs();
  if (latency > 0 && !(await waitUnlessStopped(latency, state.lifetime))) return;
  if (state.lifetime.aborted) return;

  const route = matchRoute(method, target.path);
  const addressed = "groupId" in route ? route.groupId : undefined;
  const fault = state.faults().decide(method, target.path);
  if (fault) {
    const recordFault: Recorder = (status, extra) => record(status, { ...extra, groupId: addressed });
    return injectFault(fault, req, res, state.lifetime, recordFault);
  }

  try {
    const outcome = serve(state, route, target, body);
    sendJson(res, outcome.status, outcome.body);
    record(outcome.status, { groupId: outcome.groupId ?? addressed });
  } catch (error) {
    const httpError =
      error instanceof HttpError ? error : new HttpError(500, "Internal emulator error", "internal");
    answerError(res, httpError, (status) => record(status, { groupId: addressed }));
  }
}

function serve(state: EmulatorState, route: RouteMatch, target: RequestTarget, body: RequestBody): Outcome {
  if ((route.endpoint === "create" || route.endpoint === "update") && body.tooLarge) {
    throw new HttpError(413, "Request body is too large", "body_too_large");
  }
  switch (route.endpoint) {
    case "list":
      return listGroups(state.store, target.query, state.externalReferenceFilter);
    case "create":
      return createGroup(state.store, body.text);
    case "retrieve":
      if (!route.addressable) throw groupNotFound();
      return retrieveGroup(state.store, route.groupId);
    case "update":
      if (!route.addressable) throw groupNotFound();
      return updateGroup(state.store, route.groupId, body.text);
    case "method_not_allowed":
      throw methodNotAllowed(route.allow);
    case "not_found":
      throw notFound();
  }
}

function answerError(res: ServerResponse, error: HttpError, record: Recorder): void {
  sendError(res, error);
  record(error.status);
}

function injectFault(
  fault: FaultDecision,
  req: IncomingMessage,
  res: ServerResponse,
  lifetime: AbortSignal,
  record: Recorder,
): void {
  const { action } = fault;
  switch (action.type) {
    case "status":
      sendError(res, statusFaultError({ ...fault, action }, Date.now()));
      record(action.status, { fault: fault.label });
      return;
    case "reset":
      record("reset", { fault: fault.label });
      req.socket.resetAndDestroy();
      return;
    case "hang":
      record("hang", { fault: fault.label });
      holdWithoutAnswer(req.socket, action.ms, lifetime);
      return;
  }
}

/** Keeps the connection open and silent, then drops it: after `ms`, on stop(), or when the client leaves. */
function holdWithoutAnswer(socket: Socket, ms: number | undefined, lifetime: AbortSignal): void {
  const drop = () => {
    socket.destroy();
  };
  if (lifetime.aborted) {
    drop();
    return;
  }
  const timer = ms === undefined ? undefined : setTimeout(drop, ms);
  lifetime.addEventListener("abort", drop, { once: true });
  socket.once("close", () => {
    clearTimeout(timer);
    lifetime.removeEventListener("abort", drop);
  });
}

/** Resolves false when stop() interrupted the wait. */
async function waitUnlessStopped(ms: number, lifetime: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: lifetime });
    return true;
  } catch {
    return false;
  }
}
