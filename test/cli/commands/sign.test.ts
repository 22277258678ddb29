import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { registerSignCommand } from "../../../cli/commands/sign.ts";
import { createCommandContext } from "../../../cli/context.ts";
import { EXIT, type ExitCode, UsageError } from "../../../cli/errors.ts";
import type { BatchSender } from "../../../functions/webhook-ingest/enqueue.ts";
import { staticWebhookSecrets } from "../../../functions/webhook-ingest/webhook-secrets.ts";
import { type RunningLocalWebhook, startLocalWebhook } from "../../../local/webhook/index.ts";
import { aRawEvent } from "../../fixtures/events/factories.ts";
import { captureIo } from "../support/cli-io.ts";

const SECRET = "whsec_cli_sign_0123456789abcdef0123456789abcd";
/** A Standard Webhooks secret: whsec_ and base64 key bytes. */
const STANDARD_SECRET = `whsec_${Buffer.from("cli-sign-standard-key-01234567").toString("base64")}`;
const NOW = new Date("2026-01-16T09:12:00Z");
const dir = mkdtempSync(path.join(tmpdir(), "group-sync-sign-"));
const run = promisify(execFile);

let webhook: RunningLocalWebhook | undefined;
afterEach(async () => {
  await webhook?.stop();
  webhook = undefined;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `sign` on a program of its own (the command is registered in cli/commands/index.ts by its owner). */
async function groupSyncSign(argv: string[], env: Record<string, string | undefined> = {}, now = () => NOW) {
  const io = captureIo({ cwd: dir, env, now });
  let exitCode: ExitCode = EXIT.ok;
  const program = new Command("group-sync").exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  registerSignCommand(program, {
    context: createCommandContext(io),
    action:
      (action) =>
      async (...args) => {
        exitCode = await action(...args);
      },
  });
  try {
    await program.parseAsync(["sign", ...argv], { from: "user" });
  } catch (error) {
    exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failed;
    io.stderr.write(String(error));
  }
  return { exitCode, stdout: io.stdoutText(), stderr: io.stderrText() };
}

function writeBody(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

function acceptingSqs(): BatchSender {
  return {
    send: async (command) => ({
      $metadata: {},
      Successful: (command.input.Entries ?? []).map((e) => ({
        Id: e.Id,
        MessageId: `m-${e.Id}`,
        MD5OfMessageBody: "",
      })),
      Failed: [],
    }),
  };
}

describe("group-sync sign", () => {
  it("prints a curl command that the webhook accepts, byte for byte", async () => {
    // Prepare
    webhook = await startLocalWebhook({
      handlerDeps: { sqs: acceptingSqs(), queueUrl: "q.fifo", secrets: staticWebhookSecrets(SECRET) },
    });
    const file = writeBody("events.json", `${JSON.stringify([aRawEvent()], null, 2)}\n`);

    // Act
    // The webhook judges the timestamp by the real clock, so this one signs with it too.
    const signed = await groupSyncSign(
      ["--url", webhook.url, file],
      { WEBHOOK_SECRET: SECRET },
      () => new Date(),
    );
    const curl = await run("sh", ["-c", signed.stdout], { cwd: dir });

    // Assess
    expect(signed.exitCode).toBe(EXIT.ok);
    expect(signed.stdout).not.toContain(SECRET);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 202/);
    expect(curl.stdout).toContain('"accepted":1');
  });

  it.each([
    { title: "from --secret", argv: ["--secret", SECRET], env: {} },
    { title: "from WEBHOOK_SECRET", argv: [], env: { WEBHOOK_SECRET: SECRET } },
  ])("signs with the secret $title, for the given timestamp and URL", async ({ argv, env }) => {
    // Prepare
    const file = writeBody("one.json", JSON.stringify(aRawEvent()));

    // Act
    const result = await groupSyncSign(
      [...argv, "--timestamp", "1768554720", "--url", "https://hooks.example.com/events", file],
      env,
    );

    // Assess
    expect(result.exitCode).toBe(EXIT.ok);
    expect(result.stdout).toContain("curl -sS -i -X POST 'https://hooks.example.com/events'");
    expect(result.stdout).toContain("-H 'x-group-sync-timestamp: 1768554720'");
    expect(result.stdout).toMatch(/-H 'x-group-sync-signature: sha256=[0-9a-f]{64}'/);
    expect(result.stdout).toContain("--data-binary '@one.json'");
    expect(result.stderr).toContain("accepted until 2026-01-16T09:17:00.000Z");
  });

  it("quotes a file name with a quote in it for the shell", async () => {
    // Prepare
    const file = writeBody("it's.json", JSON.stringify(aRawEvent()));

    // Act
    const result = await groupSyncSign(["--secret", SECRET, file]);

    // Assess
    expect(result.stdout).toContain(`--data-binary '@it'\\''s.json'`);
  });

  it.each([
    { title: "no secret", argv: ["x.json"], message: "--secret or the WEBHOOK_SECRET variable" },
    { title: "a short secret", argv: ["--secret", "short-but-secret", "x.json"], message: "shorter than 32" },
    { title: "stdin", argv: ["--secret", SECRET, "-"], message: "FILE must be a file" },
    { title: "a missing file", argv: ["--secret", SECRET, "missing.json"], message: "no such file" },
    {
      title: "a bad timestamp",
      argv: ["--secret", SECRET, "--timestamp", "soon", "x.json"],
      message: "whole seconds",
    },
    {
      title: "a bad URL",
      argv: ["--secret", SECRET, "--url", "ftp://x", "x.json"],
      message: "http or https",
    },
  ])("refuses $title as a usage error, never echoing the secret", async ({ argv, message }) => {
    // Prepare
    writeBody("x.json", "{}");

    // Act
    const result = await groupSyncSign(argv);

    // Assess
    expect(result.exitCode).toBe(EXIT.usage);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toContain("short-but-secret");
  });
});

describe("group-sync sign --scheme standard", () => {
  /** The header values a printed curl command sends. */
  const headersIn = (curl: string) =>
    Object.fromEntries(
      [...curl.matchAll(/-H '([a-z-]+): ([^']*)'/g)].map((match) => [match[1] as string, match[2] as string]),
    );

  it("prints a curl command whose Standard Webhooks headers the webhook accepts", async () => {
    // Prepare
    webhook = await startLocalWebhook({
      handlerDeps: {
        sqs: acceptingSqs(),
        queueUrl: "q.fifo",
        secrets: staticWebhookSecrets(STANDARD_SECRET),
      },
    });
    const file = writeBody("standard.json", `${JSON.stringify([aRawEvent()], null, 2)}\n`);

    // Act
    const signed = await groupSyncSign(
      ["--scheme", "standard", "--url", webhook.url, file],
      { WEBHOOK_SECRET: STANDARD_SECRET },
      () => new Date(),
    );
    const curl = await run("sh", ["-c", signed.stdout], { cwd: dir });

    // Assess
    expect(signed.exitCode).toBe(EXIT.ok);
    expect(signed.stdout).not.toContain(STANDARD_SECRET);
    expect(Object.keys(headersIn(signed.stdout)).sort()).toEqual([
      "content-type",
      "webhook-id",
      "webhook-signature",
      "webhook-timestamp",
    ]);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 202/);
    expect(signed.stderr).toMatch(
      /webhook-id msg_[0-9a-f]{32}: sign again with --webhook-id msg_[0-9a-f]{32}/,
    );
  });

  it("signs exactly as the standardwebhooks package does, for a given webhook-id and timestamp", async () => {
    // Prepare
    const text = JSON.stringify(aRawEvent());
    const file = writeBody("given.json", text);

    // Act
    const result = await groupSyncSign(
      ["--scheme", "standard", "--webhook-id", "msg_given_1", "--timestamp", "1768554720", file],
      { WEBHOOK_SECRET: STANDARD_SECRET },
    );

    // Assess
    expect(result.exitCode).toBe(EXIT.ok);
    expect(headersIn(result.stdout)).toEqual({
      "content-type": "application/json",
      "webhook-id": "msg_given_1",
      "webhook-timestamp": "1768554720",
      "webhook-signature": new Webhook(STANDARD_SECRET).sign(
        "msg_given_1",
        new Date(1_768_554_720_000),
        text,
      ),
    });
  });

  it.each([
    {
      title: "a secret that is not whsec_<base64>",
      argv: ["--scheme", "standard", "--secret", SECRET, "x.json"],
      message: "--scheme standard needs a secret of the form whsec_<base64>",
    },
    {
      title: "a webhook-id with a space",
      argv: ["--scheme", "standard", "--secret", STANDARD_SECRET, "--webhook-id", "msg 1", "x.json"],
      message: "--webhook-id must be 1 to 256 printable ASCII characters",
    },
    {
      title: "--webhook-id without --scheme standard",
      argv: ["--secret", SECRET, "--webhook-id", "msg_1", "x.json"],
      message: "--webhook-id goes with --scheme standard",
    },
  ])("refuses $title as a usage error, never echoing the secret", async ({ argv, message }) => {
    // Prepare
    writeBody("x.json", "{}");

    // Act
    const result = await groupSyncSign(argv);

    // Assess
    expect(result.exitCode).toBe(EXIT.usage);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toContain(STANDARD_SECRET);
  });

  it("refuses an unknown scheme", async () => {
    // Prepare
    writeBody("x.json", "{}");

    // Act
    const result = await groupSyncSign(["--scheme", "svix", "--secret", STANDARD_SECRET, "x.json"]);

    // Assess
    expect(result.exitCode).not.toBe(EXIT.ok);
    expect(result.stderr).toContain("Allowed choices are group-sync, standard");
    expect(result.stdout).toBe("");
  });
});
