import { describe, expect, it } from "vitest";
import { call, errorOf, pageOf, seed, seeds, startEmulator, stopEmulatorsAfterEach } from "./support.ts";

stopEmulatorsAfterEach();

describe("GET /v1/groups pagination", () => {
  it.each([
    { query: "", page: 1, limit: 20, from: 0, to: 5, totalPages: 1 },
    { query: "?limit=2", page: 1, limit: 2, from: 0, to: 2, totalPages: 3 },
    { query: "?limit=2&page=2", page: 2, limit: 2, from: 2, to: 4, totalPages: 3 },
    { query: "?limit=2&page=3", page: 3, limit: 2, from: 4, to: 5, totalPages: 3 },
    { query: "?limit=2&page=4", page: 4, limit: 2, from: 5, to: 5, totalPages: 3 },
    { query: "?page=99", page: 99, limit: 20, from: 5, to: 5, totalPages: 1 },
    { query: "?limit=5", page: 1, limit: 5, from: 0, to: 5, totalPages: 1 },
    { query: "?limit=100&page=1", page: 1, limit: 100, from: 0, to: 5, totalPages: 1 },
    { query: "?limit=1&page=5", page: 5, limit: 1, from: 4, to: 5, totalPages: 5 },
  ])(
    "$query gives groups [$from, $to) of 5 in creation order",
    async ({ query, page, limit, from, to, totalPages }) => {
      // Prepare
      const groups = seeds(5);
      const emulator = await startEmulator({ groups });

      // Act
      const response = await call(emulator, "GET", `/v1/groups${query}`);

      // Assess
      expect(response.status).toBe(200);
      const body = pageOf(response);
      expect(body.data.map((group) => group.external_reference_id)).toEqual(
        groups.slice(from, to).map((group) => group.external_reference_id),
      );
      expect(body.pagination).toEqual({ page, limit, total: 5, total_pages: totalPages });
    },
  );

  it("reports zero pages for an empty organization", async () => {
    // Prepare
    const emulator = await startEmulator();

    // Act
    const response = await call(emulator, "GET", "/v1/groups");

    // Assess
    expect(pageOf(response)).toEqual({
      data: [],
      pagination: { page: 1, limit: 20, total: 0, total_pages: 0 },
    });
  });

  it("lists groups created over the API after the seeds, in creation order", async () => {
    // Prepare
    const emulator = await startEmulator({ groups: seeds(2) });
    const created = [seed(), seed()];
    for (const group of created) await call(emulator, "POST", "/v1/groups", { json: group });

    // Act
    const response = await call(emulator, "GET", "/v1/groups?limit=2&page=2");

    // Assess
    expect(pageOf(response).data.map((group) => group.name)).toEqual(created.map((group) => group.name));
  });

  it.each([
    "limit=0",
    "limit=101",
    "limit=-1",
    "limit=abc",
    "limit=1.5",
    "limit=1e1",
    "limit=",
    "limit=%2B5",
    "page=0",
    "page=-2",
    "page=two",
    "page=99999999999999999999",
    "limit=1&limit=2",
  ])("rejects %s with 400 instead of clamping", async (query) => {
    // Prepare
    const emulator = await startEmulator({ groups: seeds(1) });

    // Act
    const response = await call(emulator, "GET", `/v1/groups?${query}`);

    // Assess
    expect(response.status).toBe(400);
    expect(errorOf(response).app_error_code).toBe("invalid_query");
  });
});

describe("GET /v1/groups external_reference_id filter", () => {
  const groups = [
    seed({ external_reference_id: "hr_seg_1" }),
    seed({ external_reference_id: "hr_seg_10" }),
    seed({ external_reference_id: "HR_SEG_1" }),
  ];

  it.each([
    { filter: true, value: "hr_seg_1", expected: ["hr_seg_1"] },
    { filter: true, value: "HR_SEG_1", expected: ["HR_SEG_1"] },
    { filter: true, value: "hr_seg", expected: [] },
    { filter: true, value: "", expected: [] },
    { filter: false, value: "hr_seg_1", expected: ["hr_seg_1", "hr_seg_10", "HR_SEG_1"] },
  ])("with filtering $filter, '$value' lists $expected", async ({ filter, value, expected }) => {
    // Prepare
    const emulator = await startEmulator({ groups, externalReferenceFilter: filter });

    // Act
    const response = await call(
      emulator,
      "GET",
      `/v1/groups?external_reference_id=${encodeURIComponent(value)}`,
    );

    // Assess
    expect(response.status).toBe(200);
    const body = pageOf(response);
    expect(body.data.map((group) => group.external_reference_id)).toEqual(expected);
    expect(body.pagination.total).toBe(expected.length);
  });
});
