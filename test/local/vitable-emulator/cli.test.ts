import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { CliUsageError, parseCliOptions } from "../../../local/vitable-emulator/cli-options.ts";
import { DEFAULT_API_KEY, sampleGroups } from "../../../local/vitable-emulator/index.ts";

describe("parseCliOptions", () => {
  it.each([
    { args: [], env: {}, port: 0 },
    { args: ["--port", "8080"], env: {}, port: 8080 },
    { args: ["--port=8081"], env: {}, port: 8081 },
    { args: [], env: { VITABLE_EMULATOR_PORT: "9000" }, port: 9000 },
    { args: ["--port", "8080"], env: { VITABLE_EMULATOR_PORT: "9000" }, port: 8080 },
  ])("takes port $port from $args and $env", ({ args, env, port }) => {
    // Act
    const options = parseCliOptions(args, env);

    // Assess
    expect(options).toEqual({ port, help: false });
  });

  it.each([
    { args: ["--port", "abc"], env: {} },
    { args: ["--port", "65536"], env: {} },
    { args: ["--port", "-1"], env: {} },
    { args: [], env: { VITABLE_EMULATOR_PORT: "80.5" } },
    { args: ["--bogus"], env: {} },
    { args: ["extra"], env: {} },
  ])("rejects $args with $env", ({ args, env }) => {
    // Act
    const parse = () => parseCliOptions(args, env);

    // Assess
    expect(parse).toThrow(CliUsageError);
  });

  it("recognises --help", () => {
    // Act
    const options = parseCliOptions(["--help"], {});

    // Assess
    expect(options.help).toBe(true);
  });
});

describe("cli.ts", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("serves the sample groups and exits 0 on SIGTERM", async () => {
    // Prepare
    const cli = fileURLToPath(new URL("../../../local/vitable-emulator/cli.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", cli, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let url: string | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
      if (url) break;
    }
    expect(url, stderr).toBeDefined();

    // Act
    const response = await fetch(`${url}/v1/groups`, {
      headers: { authorization: `Bearer ${DEFAULT_API_KEY}` },
    });
    const body = (await response.json()) as { data: Array<{ id: string }> };
    child.kill("SIGTERM");

    // Assess
    expect(response.status).toBe(200);
    expect(body.data.map((group) => group.id)).toEqual(sampleGroups().map((group) => group.id));
    expect(await exited).toBe(0);
  });
});
