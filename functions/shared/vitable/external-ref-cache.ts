import { TtlMap } from "./ttl-map.ts";
import type { Group } from "./types.ts";

/**
 * Remembers which group an external reference id pointed to, so a lookup can try that group first instead of
 * paging through the whole list. Only positive answers are kept: a "not found" could turn into a group at any
 * moment, and caching it would route events to nowhere. A hit is always re-verified by the caller.
 */
export class ExternalRefCache {
  readonly #groupIdByRef: TtlMap<string, string>;

  constructor(options: { ttlMs: number; now?: () => number }) {
    this.#groupIdByRef = new TtlMap<string, string>(options);
  }

  groupIdFor(externalReferenceId: string): string | undefined {
    return this.#groupIdByRef.get(externalReferenceId);
  }

  /** Records what the server just said about a group: its current ref maps to it, any older ref does not. */
  observe(group: Group): void {
    this.#groupIdByRef.deleteWhere(
      (groupId, ref) => groupId === group.id && ref !== group.external_reference_id,
    );
    this.#groupIdByRef.set(group.external_reference_id, group.id);
  }

  forgetRef(externalReferenceId: string): void {
    this.#groupIdByRef.delete(externalReferenceId);
  }

  /** The group is gone (or not ours): no ref may keep pointing at it. */
  forgetGroup(groupId: string): void {
    this.#groupIdByRef.deleteWhere((cachedId) => cachedId === groupId);
  }
}
