import { isGroupId } from "../group-id.ts";
import { InvalidGroupIdError, VitableApiError } from "./errors.ts";
import type { ExternalRefCache } from "./external-ref-cache.ts";
import type { ApiRequest, CallOptions, RequestRunner } from "./request-runner.ts";
import { decodeGroup, decodeGroupPage } from "./response-decoding.ts";
import type { Group, GroupListParams, GroupPage, GroupUpdateParams } from "./types.ts";

const MAX_PAGE_SIZE = 100;

/** `client.groups`: the groups endpoints, shaped like the official SDK's resource. */
export class GroupsResource {
  readonly #runner: RequestRunner;
  readonly #refCache: ExternalRefCache;

  constructor(runner: RequestRunner, refCache: ExternalRefCache) {
    this.#runner = runner;
    this.#refCache = refCache;
  }

  /** PATCH /v1/groups/{id}. Only `name` and `external_reference_id` are sent; omitted ones stay unchanged. */
  async update(groupId: string, params: GroupUpdateParams, options?: CallOptions): Promise<Group> {
    const body: GroupUpdateParams = {};
    if (params.name !== undefined) {
      body.name = params.name;
    }
    if (params.external_reference_id !== undefined) {
      body.external_reference_id = params.external_reference_id;
    }
    return this.#groupCall(
      groupId,
      { operation: "groups.update", method: "PATCH", path: groupPath(groupId), body },
      options,
    );
  }

  async retrieve(groupId: string, options?: CallOptions): Promise<Group> {
    return this.#groupCall(
      groupId,
      { operation: "groups.retrieve", method: "GET", path: groupPath(groupId) },
      options,
    );
  }

  /** One page of GET /v1/groups. `external_reference_id` is an unconfirmed filter the server may ignore. */
  async list(params: GroupListParams = {}, options?: CallOptions): Promise<GroupPage> {
    const query = new URLSearchParams();
    if (params.external_reference_id !== undefined) {
      query.set("external_reference_id", params.external_reference_id);
    }
    if (params.limit !== undefined) {
      query.set("limit", String(params.limit));
    }
    if (params.page !== undefined) {
      query.set("page", String(params.page));
    }
    const response = await this.#runner.run(
      { operation: "groups.list", method: "GET", path: "/v1/groups", query },
      options,
    );
    const page = decodeGroupPage(response);
    for (const group of page.data) {
      this.#refCache.observe(group);
    }
    return page;
  }

  /**
   * Every page of GET /v1/groups, 100 groups a page, in page order: ceil(total / 100) requests. Page 1 says how many
   * pages there are; the rest are then requested together, so they run as fast as the client's concurrency cap
   * allows (listing 10,000 groups one page after the other took 100 round trips). If the last page announces more
   * pages than page 1 did (groups were added meanwhile), those are read one by one until an empty or last page.
   * Each page is one call with its own retries and the caller's deadline.
   */
  async *pages(options?: CallOptions): AsyncGenerator<GroupPage> {
    const first = await this.list({ limit: MAX_PAGE_SIZE, page: 1 }, options);
    yield first;
    if (first.data.length === 0) {
      return;
    }
    let lastPage = first.pagination.total_pages;
    const ahead = new Map<number, Promise<GroupPage>>();
    for (let page = 2; page <= lastPage; page += 1) {
      const request = this.list({ limit: MAX_PAGE_SIZE, page }, options);
      // Handled here so a failure of a later page is not unhandled while an earlier one is awaited.
      request.catch(() => undefined);
      ahead.set(page, request);
    }
    for (let page = 2; ; page += 1) {
      const result = await (ahead.get(page) ?? this.list({ limit: MAX_PAGE_SIZE, page }, options));
      ahead.delete(page);
      yield result;
      lastPage = Math.max(lastPage, result.pagination.total_pages);
      if (result.data.length === 0 || page >= lastPage) {
        return;
      }
    }
  }

  /**
   * The group whose external_reference_id equals `ref` exactly, or undefined. A cached mapping costs one
   * retrieve and is re-verified; otherwise the list filter is tried, and if the server ignores it (non-matching
   * items come back), every page is scanned.
   */
  async findByExternalReferenceId(ref: string, options?: CallOptions): Promise<Group | undefined> {
    const cached = await this.#findCached(ref, options);
    if (cached) {
      return cached;
    }
    const filtered = await this.list({ external_reference_id: ref, limit: MAX_PAGE_SIZE }, options);
    const match = filtered.data.find((group) => group.external_reference_id === ref);
    if (match) {
      return match;
    }
    const filterHonoured = filtered.data.length === 0;
    return filterHonoured ? undefined : this.#scanAllPages(ref, options);
  }

  forgetExternalReferenceId(ref: string): void {
    this.#refCache.forgetRef(ref);
  }

  async #findCached(ref: string, options?: CallOptions): Promise<Group | undefined> {
    const groupId = this.#refCache.groupIdFor(ref);
    if (groupId === undefined) {
      return undefined;
    }
    try {
      const group = await this.retrieve(groupId, options);
      if (group.external_reference_id === ref) {
        return group;
      }
      this.#refCache.forgetRef(ref);
      return undefined;
    } catch (error) {
      // Gone or not ours any more: retrieve already dropped the mapping, so search afresh.
      if (error instanceof VitableApiError && error.status === 404) {
        return undefined;
      }
      throw error;
    }
  }

  // The filtered answer cannot be reused as page 1: a server that half-applies the filter (prefix match)
  // would make the pages that follow skip groups.
  async #scanAllPages(ref: string, options?: CallOptions): Promise<Group | undefined> {
    for (let page = 1; ; page += 1) {
      const result = await this.list({ limit: MAX_PAGE_SIZE, page }, options);
      const match = result.data.find((group) => group.external_reference_id === ref);
      if (match) {
        return match;
      }
      if (result.data.length === 0 || page >= result.pagination.total_pages) {
        return undefined;
      }
    }
  }

  async #groupCall(groupId: string, request: ApiRequest, options: CallOptions | undefined): Promise<Group> {
    try {
      const group = decodeGroup(await this.#runner.run(request, options));
      this.#refCache.observe(group);
      return group;
    } catch (error) {
      if (error instanceof VitableApiError && error.status === 404) {
        this.#refCache.forgetGroup(groupId);
      }
      throw error;
    }
  }
}

/** Validates before encoding: an id like `grp_x/../../employers` must never address another endpoint. */
function groupPath(groupId: string): string {
  if (!isGroupId(groupId)) {
    throw new InvalidGroupIdError(`not a Vitable group id: ${JSON.stringify(groupId.slice(0, 64))}`);
  }
  return `/v1/groups/${encodeURIComponent(groupId)}`;
}
