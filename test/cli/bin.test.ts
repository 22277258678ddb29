import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { buildCliBundle, cliBundleStaleness, ensureCliBundle } from "../../bin/cli-bundle.mjs";

const run = promisify(execFile);

describe("bin/group-sync.mjs", () => {
  it("runs the built CLI (building it when needed) and exits with its code", async () => {
    // Act
    const help = await run(process.execPath, ["bin/group-sync.mjs", "--help"], { cwd: process.cwd() });
    const usage = await run(process.execPath, ["bin/group-sync.mjs", "dlq", "list"], {
      cwd: process.cwd(),
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(help.stdout).toMatch(/^Usage: group-sync/);
    expect(help.stderr).toBe("");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/group-sync: no dead-letter queue: give --dlq-url or --stack/);
  });
});

describe("the CLI bundle", () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "cli-bundle-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const bundle = path.join(outDir, "group-sync.mjs");

  it("is rebuilt when missing or older than a file it comes from, and reused otherwise", async () => {
    // Prepare
    expect(cliBundleStaleness(outDir)).toBe("missing");
    const built = await buildCliBundle(outDir);
    expect(built.map((file) => path.basename(file.file)).sort()).toEqual([
      "group-sync.meta.json",
      "group-sync.mjs",
      "group-sync.mjs.map",
    ]);
    expect(cliBundleStaleness(outDir)).toBeUndefined();
    const fresh = statSync(bundle).mtimeMs;

    // Act: the bundle looks older than every source, as after an edit
    utimesSync(bundle, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const staleness = cliBundleStaleness(outDir);
    await ensureCliBundle(outDir);

    // Assess
    expect(staleness).toMatch(/^cli\/.+\.ts changed$/);
    expect(statSync(bundle).mtimeMs).toBeGreaterThanOrEqual(fresh);
    expect(cliBundleStaleness(outDir)).toBeUndefined();
    const { main } = (await import(bundle)) as { main: (argv: string[]) => Promise<number> };
    expect(typeof main).toBe("function");
  });
});
