/**
 * Maps a request to an endpoint from the raw request target, never from a normalized URL: `/v1/groups/x/../y`
 * stays six segments and matches nothing, instead of being resolved to another endpoint.
 */

export type RouteMatch =
  | { endpoint: "list" | "create" }
  | { endpoint: "retrieve" | "update"; groupId: string; addressable: boolean }
  | { endpoint: "not_found" }
  | { endpoint: "method_not_allowed"; allow: readonly string[] };

export interface RequestTarget {
  /** As sent, without the query string. */
  path: string;
  query: URLSearchParams;
}

const COLLECTION_METHODS = ["GET", "POST"] as const;
const ITEM_METHODS = ["GET", "PATCH"] as const;

export function splitTarget(rawUrl: string): RequestTarget {
  const queryStart = rawUrl.indexOf("?");
  if (queryStart < 0) return { path: rawUrl, query: new URLSearchParams() };
  return { path: rawUrl.slice(0, queryStart), query: new URLSearchParams(rawUrl.slice(queryStart + 1)) };
}

/** Only this space needs a key and is subject to faults; anything else is a plain 404. */
export function isApiPath(path: string): boolean {
  return path === "/v1" || path.startsWith("/v1/");
}

export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split("/");
  if (segments.length < 3 || segments[0] !== "" || segments[1] !== "v1" || segments[2] !== "groups") {
    return { endpoint: "not_found" };
  }
  if (segments.length === 3) {
    if (method === "GET") return { endpoint: "list" };
    if (method === "POST") return { endpoint: "create" };
    return { endpoint: "method_not_allowed", allow: COLLECTION_METHODS };
  }
  const rawId = segments[3];
  if (segments.length !== 4 || rawId === undefined) return { endpoint: "not_found" };
  const groupId = decodeOnce(rawId);
  if (groupId === undefined) return { endpoint: "not_found" };
  if (method === "GET") return { endpoint: "retrieve", groupId, addressable: isAddressable(groupId) };
  if (method === "PATCH") return { endpoint: "update", groupId, addressable: isAddressable(groupId) };
  return { endpoint: "method_not_allowed", allow: ITEM_METHODS };
}

function decodeOnce(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A decoded id holding a separator or dot-segment can only be an injection attempt: it matches no group. */
function isAddressable(groupId: string): boolean {
  return groupId !== "" && !groupId.includes("/") && !groupId.includes("..");
}
