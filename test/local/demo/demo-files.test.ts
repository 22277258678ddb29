import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseEventBody } from "../../../functions/shared/contract/parse-event.ts";
import { DemoFileError, loadDemo } from "../../../local/demo/demo-files.ts";
import { validateFaultConfig } from "../../../local/vitable-emulator/fault-config.ts";

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

const EVENT = JSON.stringify({
  type: "group.renamed",
  event_id: "e-1",
  occurred_at: "2026-03-02T09:00:00Z",
  group: { id: "grp_abc" },
  changes: { name: "A" },
});

async function demoFiles(events: string, manifest: string): Promise<string> {
  directory = await mkdtemp(join(tmpdir(), "local-demo-"));
  await writeFile(join(directory, "events.jsonl"), events);
  await writeFile(join(directory, "expected.json"), manifest);
  return `${directory}/`;
}

describe("the shipped demo files", () => {
  it("pair every event line with an expectation the contract agrees with", async () => {
    // Act
    const demo = await loadDemo();

    // Assess
    expect(demo.samples.map((sample) => sample.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const expectations = new Set(demo.samples.map((sample) => sample.expect));
    for (const outcome of ["applied", "duplicate", "stale", "dead_lettered:event_in_future"]) {
      expect(expectations).toContain(outcome);
    }
    expect(demo.samples.some((sample) => sample.retried && sample.expect === "applied")).toBe(true);
    for (const sample of demo.samples) {
      const parsed = parseEventBody(sample.body);
      const refused = sample.expect === "dead_lettered:invalid_message";
      expect(parsed.ok ? "valid" : parsed.reason).toBe(refused ? "invalid_message" : "valid");
    }
    expect(() => validateFaultConfig(demo.faults)).not.toThrow();
  });
});

describe("loadDemo refuses inconsistent files", () => {
  it.each([
    {
      title: "a line without an expectation",
      events: `${EVENT}\n${EVENT}\n`,
      manifest: { expected: [{ line: 1, expect: "applied", shows: "x" }] },
      problem: "line 2 has no entry",
    },
    {
      title: "an expectation without a line",
      events: `${EVENT}\n`,
      manifest: {
        expected: [
          { line: 1, expect: "applied", shows: "x" },
          { line: 3, expect: "stale", shows: "y" },
        ],
      },
      problem: "expects line 3",
    },
    {
      title: "a line listed twice",
      events: `${EVENT}\n`,
      manifest: {
        expected: [
          { line: 1, expect: "applied", shows: "x" },
          { line: 1, expect: "stale", shows: "y" },
        ],
      },
      problem: "listed twice",
    },
    {
      title: "an unknown outcome",
      events: `${EVENT}\n`,
      manifest: { expected: [{ line: 1, expect: "teleported", shows: "x" }] },
      problem: "expect",
    },
    { title: "a manifest that is not JSON", events: `${EVENT}\n`, manifest: "{", problem: "not JSON" },
  ])("$title", async ({ events, manifest, problem }) => {
    // Prepare
    const dir = await demoFiles(events, typeof manifest === "string" ? manifest : JSON.stringify(manifest));

    // Act
    const loading = loadDemo(dir);

    // Assess
    await expect(loading).rejects.toThrow(DemoFileError);
    await expect(loadDemo(dir)).rejects.toThrow(problem);
  });

  it("skips blank lines but keeps the numbering of the file", async () => {
    // Prepare
    const dir = await demoFiles(
      `${EVENT}\n\n${EVENT}\n`,
      JSON.stringify({
        expected: [
          { line: 1, expect: "applied", shows: "x" },
          { line: 3, expect: "duplicate", shows: "y" },
        ],
      }),
    );

    // Act
    const demo = await loadDemo(dir);

    // Assess
    expect(demo.samples.map(({ line, expect }) => ({ line, expect }))).toEqual([
      { line: 1, expect: "applied" },
      { line: 3, expect: "duplicate" },
    ]);
    expect(demo.faults).toEqual({});
  });
});
