import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("bin/group-sync.mjs", () => {
  it("runs the TypeScript CLI without a build step and exits with its code", async () => {
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
