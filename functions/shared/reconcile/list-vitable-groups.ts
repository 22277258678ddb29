import type { CallOptions } from "../vitable/request-runner.ts";
import type { Group, GroupPage } from "../vitable/types.ts";

export interface GroupPages {
  pages(options?: CallOptions): AsyncGenerator<GroupPage>;
}

export interface ListProgress {
  /** Pages read so far and the number of pages the server announced. */
  onPage?(pagesRead: number, totalPages: number): void;
}

/**
 * Every Vitable group, read page by page through the shared client (retries, 429 pause, deadline per call). A group
 * that shows up on two pages (the list moved while it was read) is kept once.
 */
export async function listVitableGroups(
  groups: GroupPages,
  options: CallOptions & ListProgress = {},
): Promise<Group[]> {
  const { onPage, ...callOptions } = options;
  const seen = new Map<string, Group>();
  let pagesRead = 0;
  for await (const page of groups.pages(callOptions)) {
    pagesRead += 1;
    for (const group of page.data) if (!seen.has(group.id)) seen.set(group.id, group);
    onPage?.(pagesRead, Math.max(pagesRead, page.pagination.total_pages));
  }
  return [...seen.values()];
}
