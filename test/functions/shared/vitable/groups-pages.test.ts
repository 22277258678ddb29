import { afterEach, describe, expect, it } from "vitest";
import { listVitableGroups } from "../../../../functions/shared/reconcile/index.ts";
import { staticApiKey } from "../../../../functions/shared/vitable/api-key.ts";
import { VitableClient } from "../../../../functions/shared/vitable/client.ts";
import {
  DEFAULT_API_KEY,
  type RunningVitableEmulator,
  startVitableEmulator,
} from "../../../../local/vitable-emulator/index.ts";

let emulator: RunningVitableEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function withGroups(count: number): Promise<RunningVitableEmulator> {
  emulator = await startVitableEmulator({
    groups: Array.from({ length: count }, (_, index) => ({
      name: `G ${index}`,
      external_reference_id: `r${index}`,
    })),
  });
  return emulator;
}

function client(url: string, fetchImpl: typeof fetch = fetch): VitableClient {
  return new VitableClient({
    baseUrl: url,
    apiKey: staticApiKey(DEFAULT_API_KEY),
    retry: { maxAttempts: 1 },
    fetch: fetchImpl,
  });
}

const pageOf = (input: Parameters<typeof fetch>[0]) => new URL(String(input)).searchParams.get("page");

describe("groups.pages()", () => {
  it("yields every page once, in page order, with one request per page", async () => {
    // Prepare
    const server = await withGroups(250);

    // Act
    const pages = [];
    for await (const page of client(server.url).groups.pages()) pages.push(page.pagination.page);

    // Assess
    expect(pages).toEqual([1, 2, 3]);
    expect(server.journal).toHaveLength(3);
  });

  it("reads on past the pages announced by page 1 when groups were added while listing", async () => {
    // Prepare
    const server = await withGroups(250);
    let added = false;
    const addingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!added && pageOf(input) === "1") {
        added = true;
        for (let index = 0; index < 100; index++)
          server.addGroup({ name: `Late ${index}`, external_reference_id: `late${index}` });
      }
      return response;
    };

    // Act
    const groups = await listVitableGroups(client(server.url, addingFetch).groups);

    // Assess
    expect(groups).toHaveLength(350);
    expect(server.journal.map((entry) => entry.query.page).sort()).toEqual(["1", "2", "3", "4"]);
  });

  it("fails with the error of a later page, without an unhandled rejection", async () => {
    // Prepare
    const server = await withGroups(450);
    const failingFetch: typeof fetch = async (input, init) =>
      pageOf(input) === "4"
        ? new Response(JSON.stringify({ detail: "forbidden" }), { status: 403 })
        : fetch(input, init);

    // Act
    const listing = listVitableGroups(client(server.url, failingFetch).groups);

    // Assess
    await expect(listing).rejects.toMatchObject({ status: 403 });
  });
});
