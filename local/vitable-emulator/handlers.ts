import type { Group, GroupPage } from "../../functions/shared/vitable/types.ts";
import { HttpError, notFound } from "./http-errors.ts";
import { DuplicateExternalReferenceError, GroupNotFoundError, type GroupStore } from "./store.ts";
import { parseCreateBody, parseJsonObject, parseListQuery, parseUpdateBody } from "./validation.ts";

/** What an endpoint answers; errors are thrown as HttpError instead. */
export interface Outcome {
  status: number;
  body: unknown;
  /** The group the request created, for the journal. */
  groupId?: string;
}

export function listGroups(store: GroupStore, query: URLSearchParams, filterEnabled: boolean): Outcome {
  const { page, limit, externalReferenceId } = parseListQuery(query, filterEnabled);
  const all = store.list(externalReferenceId);
  const start = (page - 1) * limit;
  const body: GroupPage = {
    data: all.slice(start, start + limit),
    pagination: { page, limit, total: all.length, total_pages: Math.ceil(all.length / limit) },
  };
  return { status: 200, body };
}

/** Success is 201 (the API does not say 200 or 201; Created fits a POST that makes a resource). */
export function createGroup(store: GroupStore, bodyText: string): Outcome {
  const input = parseCreateBody(parseJsonObject(bodyText));
  const group = withConflictAs409(() => store.create(input));
  return { status: 201, body: { data: group }, groupId: group.id };
}

export function retrieveGroup(store: GroupStore, groupId: string): Outcome {
  const group = store.get(groupId);
  if (!group) throw groupNotFound();
  return { status: 200, body: { data: group } };
}

/** An unknown id is 404 before the body is looked at: the id is the more basic mistake. */
export function updateGroup(store: GroupStore, groupId: string, bodyText: string): Outcome {
  if (!store.get(groupId)) throw groupNotFound();
  const changes = parseUpdateBody(parseJsonObject(bodyText));
  try {
    return { status: 200, body: { data: withConflictAs409(() => store.update(groupId, changes)) } };
  } catch (error) {
    if (error instanceof GroupNotFoundError) throw groupNotFound();
    throw error;
  }
}

export function groupNotFound(): HttpError {
  return notFound("Group not found");
}

function withConflictAs409(write: () => Group): Group {
  try {
    return write();
  } catch (error) {
    if (error instanceof DuplicateExternalReferenceError) {
      throw new HttpError(409, error.message, "duplicate_external_reference_id");
    }
    throw error;
  }
}
