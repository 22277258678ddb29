/** What the bench process and its backend process (emulator, fauxqs, dynalite) say to each other over IPC. */
import type { FaultConfig } from "../../local/vitable-emulator/index.ts";

export interface BackendOptions {
  /** Groups seeded in the emulator, ids benchGroupId(0 .. groups-1). */
  groups: number;
  latencyMs: number;
  rateLimit?: FaultConfig["rateLimit"];
  /** Also start dynalite, for a function that uses the DynamoDB ledger. */
  dynamo?: boolean;
}

export interface BackendEndpoints {
  vitableUrl: string;
  sqsEndpoint: string;
  dynamoEndpoint: string | undefined;
}

/** Counts over the emulator journal since the last clear. */
export interface JournalStats {
  requests: number;
  /** PATCH requests answered 2xx: renames that reached Vitable. */
  patchesApplied: number;
  patches: number;
  /** Requests answered 429 by the rate limit. */
  rateLimited: number;
  /** Arrival times (epoch ms) of the first and last 2xx PATCH; undefined when there was none. */
  firstAppliedAt: number | undefined;
  lastAppliedAt: number | undefined;
  /** Requests dynalite answered (every DynamoDB call of the ledger); 0 without dynalite. */
  dynamoRequests: number;
}

export type BackendRequest =
  | { id: number; op: "journalStats" }
  | { id: number; op: "clearJournal" }
  | { id: number; op: "groupName"; groupId: string }
  | { id: number; op: "stop" };

export type BackendReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };

export type BackendReady = { ready: BackendEndpoints } | { failed: string };
