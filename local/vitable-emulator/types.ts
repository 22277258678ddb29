/** Public types of the Vitable Connect emulator (docs/local-development.md, "The Vitable emulator", is its manual). */
import type { Group } from "../../functions/shared/vitable/types.ts";

export type { Group };

export interface VitableEmulatorOptions {
  /** Default 0: an ephemeral port chosen by the OS. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Bearer credentials the emulator accepts. Default ["vit_apk_local_emulator"]. */
  apiKeys?: string[];
  /** Groups present from the start, in this (creation) order. */
  groups?: GroupSeed[];
  faults?: FaultConfig;
  /**
   * Whether `GET /v1/groups?external_reference_id=` filters. The real API does not confirm this parameter,
   * so `false` makes the emulator ignore it, to test clients that filter on their own side. Default true.
   */
  externalReferenceFilter?: boolean;
}

export interface GroupSeed {
  /** Must match GROUP_ID_PATTERN when given; a fresh `grp_` id is drawn otherwise. */
  id?: string;
  name: string;
  external_reference_id: string;
}

/** Faults apply only to authenticated requests under /v1; they never change state. */
export interface FaultConfig {
  /** Added before answering every authenticated /v1 request. */
  latencyMs?: number | { min: number; max: number };
  /** Each request rolls each rule whose methods match, in order; the first hit wins. */
  random?: Array<{ rate: number; action: FaultAction; methods?: string[] }>;
  /** Each entry is consumed by the first request that matches it, before the rate limit and random rules. */
  script?: Array<{ action: FaultAction; method?: string; pathPrefix?: string }>;
  /** Beyond `perSecond` requests in the current 1 s window the answer is 429 with Retry-After and retry-after-ms. */
  rateLimit?: { perSecond: number; retryAfterMs?: number };
  /** Makes random faults and random latency deterministic. */
  seed?: number;
}

export type FaultAction =
  | {
      type: "status";
      status: number;
      retryAfterSeconds?: number;
      retryAfterMs?: number;
      retryAfterHttpDate?: boolean;
      shouldRetry?: boolean;
      appErrorCode?: string;
    }
  /** Destroys the socket without answering (the client sees ECONNRESET / "fetch failed"). */
  | { type: "reset" }
  /** Holds the request without answering for `ms`, then drops the connection; default: until disconnect or stop(). */
  | { type: "hang"; ms?: number };

export interface JournalEntry {
  /** Arrival order, counted from 1 over the emulator's lifetime (clearJournal does not reset it). */
  seq: number;
  /** Arrival time, epoch milliseconds. */
  at: number;
  method: string;
  /** The path exactly as sent (not decoded, not normalized), without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  status: number | "reset" | "hang";
  /** Set on injected faults: "status:503", "reset", "hang" or "rate_limit". */
  fault?: string;
  /** The group addressed by the path (decoded once), or the group a POST created. */
  groupId?: string;
}

export interface RunningVitableEmulator {
  /** e.g. http://127.0.0.1:43123 (no trailing slash). */
  url: string;
  port: number;
  apiKeys: string[];
  /** Every request, in arrival order; never holds any request header. Entries appear once answered. */
  journal: JournalEntry[];
  groups(): Group[];
  group(id: string): Group | undefined;
  addGroup(seed: GroupSeed): Group;
  setFaults(faults: FaultConfig | undefined): void;
  clearJournal(): void;
  stop(): Promise<void>;
}
