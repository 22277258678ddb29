import type { Group } from "../../../../../functions/shared/vitable/types.ts";

export const GROUP_ID = "grp_zYxWvUtSrQpOnMlKjIhGfE";
export const OTHER_GROUP_ID = "grp_aBcDeFgHiJkLmNoPqRsTuV";

export function aGroup(overrides: Partial<Group> = {}): Group {
  return {
    id: GROUP_ID,
    organization_id: "org_QUJDREVGR0hJSktMTU5PUA",
    name: "Tier 1",
    external_reference_id: "hr_seg_001",
    created_at: "2026-01-15T10:30:00Z",
    updated_at: "2026-01-15T10:30:00Z",
    ...overrides,
  };
}

/** What the fake server does for one request. */
export type Reply =
  | { status: number; body?: unknown; bodyText?: string; headers?: Record<string, string> }
  | { networkError: string };

export const ok = (group: Group = aGroup()): Reply => ({ status: 200, body: { data: group } });

export const failWith = (status: number, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: {
    timestamp: "2026-01-15T10:30:00Z",
    message: `status ${status}`,
    error: `status ${status}`,
    app_error_code: `code_${status}`,
    trace_id: `trace_${status}`,
  },
});

export const networkError = (code = "ECONNRESET"): Reply => ({ networkError: code });

export interface SentRequest {
  /** Date.now() when the request was sent (virtual under fake timers). */
  at: number;
  method: string;
  url: string;
  authorization: string | null;
  body: string | undefined;
}

/**
 * A fetch that answers from a script, per request in order (the last reply repeats), and records each request.
 * `route` picks a script by URL, for tests with several concurrent calls.
 */
export function scriptedFetch(scripts: Reply[] | ((url: string) => Reply[])) {
  const sent: SentRequest[] = [];
  const cursors = new Map<Reply[], number>();
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    sent.push({
      at: Date.now(),
      method: init?.method ?? "GET",
      url,
      authorization: headers.get("authorization"),
      body: typeof init?.body === "string" ? init.body : undefined,
    });
    const script = typeof scripts === "function" ? scripts(url) : scripts;
    const index = cursors.get(script) ?? 0;
    cursors.set(script, index + 1);
    const reply = script[Math.min(index, script.length - 1)];
    if (reply === undefined) {
      throw new Error("empty script");
    }
    if ("networkError" in reply) {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("socket"), { code: reply.networkError }),
      });
    }
    const text = reply.bodyText ?? (reply.body === undefined ? null : JSON.stringify(reply.body));
    return new Response(text, { status: reply.status, headers: reply.headers });
  };
  return { fetch: fetchFn as typeof fetch, sent };
}

/** A clock that only moves when the client sleeps, recording every sleep. */
export function virtualTime(startMs = 1_700_000_000_000) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    sleeps,
    elapsedMs: () => nowMs - startMs,
    /** A deadline `budgetMs` from now on this clock. */
    deadline: (budgetMs: number) => {
      const endsAt = nowMs + budgetMs;
      return { remainingMs: () => endsAt - nowMs };
    },
  };
}

/** Resolves to the rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
