import { isGroupId } from "../../functions/shared/group-id.ts";
import type { Group, GroupUpdateParams } from "../../functions/shared/vitable/types.ts";
import type { MonotonicClock } from "./clock.ts";
import { newGroupId } from "./ids.ts";
import { codePointLength } from "./validation.ts";

export class GroupNotFoundError extends Error {
  readonly groupId: string;
  constructor(groupId: string) {
    super(`group ${groupId} not found`);
    this.name = "GroupNotFoundError";
    this.groupId = groupId;
  }
}

/** external_reference_id is unique within the organization. */
export class DuplicateExternalReferenceError extends Error {
  readonly externalReferenceId: string;
  constructor(externalReferenceId: string) {
    super(`external_reference_id ${JSON.stringify(externalReferenceId)} is already used by another group`);
    this.name = "DuplicateExternalReferenceError";
    this.externalReferenceId = externalReferenceId;
  }
}

/** A seed given to the emulator (not a request) was unusable. */
export class InvalidSeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSeedError";
  }
}

export interface NewGroup {
  id?: string;
  name: string;
  external_reference_id: string;
}

/** The groups of one organization, in creation order (the order lists use). Returns copies only. */
export class GroupStore {
  readonly #groups = new Map<string, Group>();
  readonly #idByExternalReference = new Map<string, string>();
  readonly #organizationId: string;
  readonly #clock: MonotonicClock;

  constructor(organizationId: string, clock: MonotonicClock) {
    this.#organizationId = organizationId;
    this.#clock = clock;
  }

  list(externalReferenceId?: string): Group[] {
    if (externalReferenceId === undefined) return [...this.#groups.values()].map(copy);
    const id = this.#idByExternalReference.get(externalReferenceId);
    const group = id === undefined ? undefined : this.#groups.get(id);
    return group ? [copy(group)] : [];
  }

  get(id: string): Group | undefined {
    const group = this.#groups.get(id);
    return group && copy(group);
  }

  create(input: NewGroup): Group {
    if (this.#idByExternalReference.has(input.external_reference_id)) {
      throw new DuplicateExternalReferenceError(input.external_reference_id);
    }
    const id = input.id ?? newGroupId();
    if (this.#groups.has(id)) throw new InvalidSeedError(`group id ${id} already exists`);
    const now = this.#clock.nextIso();
    const group: Group = {
      id,
      organization_id: this.#organizationId,
      name: input.name,
      external_reference_id: input.external_reference_id,
      created_at: now,
      updated_at: now,
    };
    this.#groups.set(id, group);
    this.#idByExternalReference.set(group.external_reference_id, id);
    return copy(group);
  }

  /** Applies the given fields; every successful update is a write and advances updated_at. */
  update(id: string, changes: GroupUpdateParams): Group {
    const group = this.#groups.get(id);
    if (!group) throw new GroupNotFoundError(id);
    const newReference = changes.external_reference_id;
    if (newReference !== undefined && newReference !== group.external_reference_id) {
      if (this.#idByExternalReference.has(newReference))
        throw new DuplicateExternalReferenceError(newReference);
      this.#idByExternalReference.delete(group.external_reference_id);
      this.#idByExternalReference.set(newReference, id);
      group.external_reference_id = newReference;
    }
    if (changes.name !== undefined) group.name = changes.name;
    group.updated_at = this.#clock.nextIso();
    return copy(group);
  }
}

/** Checks a programmatic seed with the same limits POST /v1/groups applies, and a safe id. */
export function assertValidSeed(seed: NewGroup): void {
  if (seed.id !== undefined && !isGroupId(seed.id)) {
    throw new InvalidSeedError(`seed id ${JSON.stringify(seed.id)} does not match the group id grammar`);
  }
  for (const field of ["name", "external_reference_id"] as const) {
    const value: unknown = seed[field];
    if (typeof value !== "string" || codePointLength(value) < 1 || codePointLength(value) > 255) {
      throw new InvalidSeedError(`seed ${field} must be a string of 1 to 255 code points`);
    }
  }
}

function copy(group: Group): Group {
  return { ...group };
}
