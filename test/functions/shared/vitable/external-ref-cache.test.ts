import { describe, expect, it } from "vitest";
import { ExternalRefCache } from "../../../../functions/shared/vitable/external-ref-cache.ts";
import type { Group } from "../../../../functions/shared/vitable/types.ts";

function aGroup(overrides: Partial<Group> = {}): Group {
  return {
    id: "grp_AAAAAAAAAAAAAAAAAAAAAA",
    name: "Tier 1",
    external_reference_id: "seg-1",
    created_at: null,
    updated_at: null,
    ...overrides,
  };
}

describe("ExternalRefCache", () => {
  it("maps a group's current ref to it and drops the ref it had before", () => {
    // Prepare
    const cache = new ExternalRefCache({ ttlMs: 60_000 });
    cache.observe(aGroup({ external_reference_id: "old-ref" }));

    // Act
    cache.observe(aGroup({ external_reference_id: "new-ref" }));

    // Assess
    expect(cache.groupIdFor("new-ref")).toBe("grp_AAAAAAAAAAAAAAAAAAAAAA");
    expect(cache.groupIdFor("old-ref")).toBeUndefined();
  });

  it("moves a ref to the group that now holds it", () => {
    // Prepare
    const cache = new ExternalRefCache({ ttlMs: 60_000 });
    cache.observe(aGroup({ id: "grp_first", external_reference_id: "shared" }));

    // Act
    cache.observe(aGroup({ id: "grp_second", external_reference_id: "shared" }));

    // Assess
    expect(cache.groupIdFor("shared")).toBe("grp_second");
  });

  it.each([
    { name: "forgetRef", forget: (cache: ExternalRefCache) => cache.forgetRef("seg-1") },
    {
      name: "forgetGroup",
      forget: (cache: ExternalRefCache) => cache.forgetGroup("grp_AAAAAAAAAAAAAAAAAAAAAA"),
    },
  ])("$name drops the mapping and leaves others", ({ forget }) => {
    // Prepare
    const cache = new ExternalRefCache({ ttlMs: 60_000 });
    cache.observe(aGroup());
    cache.observe(aGroup({ id: "grp_other", external_reference_id: "seg-2" }));

    // Act
    forget(cache);

    // Assess
    expect(cache.groupIdFor("seg-1")).toBeUndefined();
    expect(cache.groupIdFor("seg-2")).toBe("grp_other");
  });
});
