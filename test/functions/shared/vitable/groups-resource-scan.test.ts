import { describe, expect, it } from "vitest";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../../functions/shared/vitable/client.ts";
import type { Group } from "../../../../functions/shared/vitable/types.ts";
import { aGroup, type Reply, scriptedFetch } from "./support/scripted-fetch.ts";

function page(refs: string[], pageNumber: number, totalPages: number): Reply {
  const data: Group[] = refs.map((ref, index) =>
    aGroup({ id: `grp_${ref.replaceAll(/[^A-Za-z0-9]/g, "")}x${index}`, external_reference_id: ref }),
  );
  return {
    status: 200,
    body: {
      data,
      pagination: { page: pageNumber, limit: 100, total: totalPages * 100, total_pages: totalPages },
    },
  };
}

function clientAnswering(script: Reply[]) {
  const http = scriptedFetch(script);
  const client = new VitableClient({
    baseUrl: "https://api.example.test",
    apiKey: staticApiKey("vit_apk_scan"),
    fetch: http.fetch,
  });
  const queries = () => http.sent.map((request) => new URL(request.url).search);
  return { client, queries };
}

describe("findByExternalReferenceId against servers the emulator does not imitate", () => {
  it("rescans from page 1 without the filter when the server filters by prefix", async () => {
    // Prepare: the filtered answer holds only near misses; the plain list has the exact match on page 1.
    const { client, queries } = clientAnswering([
      page(["ref-10", "ref-100"], 1, 1),
      page(["ref-0", "ref-1"], 1, 1),
    ]);

    // Act
    const found = await client.groups.findByExternalReferenceId("ref-1");

    // Assess
    expect(found?.external_reference_id).toBe("ref-1");
    expect(queries()).toEqual(["?external_reference_id=ref-1&limit=100", "?limit=100&page=1"]);
  });

  it("stops at an empty page even when total_pages promises more", async () => {
    // Prepare
    const { client, queries } = clientAnswering([
      page(["other-1"], 1, 99),
      page(["other-1"], 1, 99),
      page(["other-2"], 2, 99),
      page([], 3, 99),
    ]);

    // Act
    const found = await client.groups.findByExternalReferenceId("ref-1");

    // Assess
    expect(found).toBeUndefined();
    expect(queries()).toHaveLength(4);
  });

  it("returns the first exact match when the filter is honoured", async () => {
    // Prepare
    const { client, queries } = clientAnswering([page(["ref-1"], 1, 1)]);

    // Act
    const found = await client.groups.findByExternalReferenceId("ref-1");

    // Assess
    expect(found?.external_reference_id).toBe("ref-1");
    expect(queries()).toHaveLength(1);
  });
});
