import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXIT } from "../../../cli/errors.ts";
import { reconcileEventId } from "../../../functions/shared/reconcile/index.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../../local/sqs/embedded-sqs.ts";
import {
  DEFAULT_API_KEY,
  type GroupSeed,
  type RunningVitableEmulator,
  sampleGroups,
  startVitableEmulator,
} from "../../../local/vitable-emulator/index.ts";
import { type CaptureOptions, groupSync } from "../support/cli-io.ts";
import { drainQueue, freshQueues } from "../support/dlq-fixtures.ts";

const GROUPS: GroupSeed[] = [
  { id: "grp_insync", name: "Tier 1", external_reference_id: "hr_1" },
  { id: "grp_renamed", name: "Old name", external_reference_id: "hr_2" },
  { id: "grp_reffed", name: "Tier 3", external_reference_id: "hr_3_old" },
  { id: "grp_orphan", name: "Made by hand", external_reference_id: "hand_1" },
  { id: "grp_byref", name: 'Quoted "name", with comma', external_reference_id: "hr_5" },
];

const AS_OF = "2026-03-01T12:00:00+01:00";

let emulator: RunningVitableEmulator;
let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
beforeEach(async () => {
  await emulator?.stop();
  emulator = await startVitableEmulator({ groups: GROUPS });
});
afterAll(async () => {
  await Promise.all([emulator?.stop(), sqs.stop()]);
});

function snapshotFile(name: string, text: string | Buffer): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "group-sync-reconcile-"));
  writeFileSync(join(cwd, name), text);
  return { cwd, file: name };
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { VITABLE_CONNECT_BASE_URL: emulator.url, VITABLE_CONNECT_API_KEY: DEFAULT_API_KEY, ...extra };
}

async function reconcile(args: string[], options: CaptureOptions = {}) {
  return groupSync(["reconcile", ...args], { env: env(), ...options });
}

// BOM, CRLF, an unknown column, quoting with commas, doubled quotes and a line break inside a field.
const CSV = [
  "\uFEFFid,external_reference_id,name,cost_center",
  "grp_insync,hr_1,Tier 1,100",
  "grp_renamed,hr_2,New name,200",
  "grp_reffed,hr_3,Tier 3,300",
  ',hr_5,"Quoted ""name"", with comma",500',
  ',hr_new,"Not there yet",600',
  'grp_bad/../x,hr_6,"Two\r\nlines",700',
  "grp_gone,hr_7,Deleted,800",
].join("\r\n");

describe("group-sync reconcile", () => {
  it("gives each row and each Vitable group exactly one status, prints the drift and exits 3", async () => {
    // Prepare
    const { cwd, file } = snapshotFile("hr-groups.csv", `${CSV}\r\n`);

    // Act
    const run = await reconcile(["--snapshot", file, "--as-of", AS_OF], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.drift);
    expect(run.stdout).toContain("as of 2026-03-01T11:00:00.000Z (from --as-of)");
    expect(run.stdout).toMatch(/^in_sync {13}2$/m);
    expect(run.stdout).toMatch(/^name_differs {8}1$/m);
    expect(run.stdout).toMatch(/^reference_differs {3}1$/m);
    expect(run.stdout).toMatch(/^missing_in_vitable {2}2$/m);
    expect(run.stdout).toMatch(/^not_in_snapshot {5}1$/m);
    expect(run.stdout).toMatch(/^invalid_row {9}1$/m);
    expect(run.stdout).toMatch(/^name_differs +3 +grp_renamed +hr_2 +Old name +New name/m);
    expect(run.stdout).toMatch(/^reference_differs +4 +grp_reffed +hr_3 .*reference hr_3_old -> hr_3$/m);
    expect(run.stdout).toMatch(/^missing_in_vitable +6 +- +hr_new +- +Not there yet/m);
    expect(run.stdout).toMatch(/^missing_in_vitable +9 +grp_gone +hr_7/m);
    // The row with a line break in a quoted field starts on line 7 and takes two lines: the next row is line 9.
    expect(run.stdout).toMatch(
      /^invalid_row +7 .*id: must be a Vitable group id.*name: must not contain control/m,
    );
    expect(run.stdout).toMatch(/^not_in_snapshot +- +grp_orphan +hand_1 +Made by hand/m);
    expect(run.stdout).toContain("2 differences can be repaired: run again with --apply");
  });

  it("lists every Vitable group in pages of 100 and nothing more, and exits 0 when all is in sync", async () => {
    // Prepare
    await emulator.stop();
    const many = Array.from({ length: 250 }, (_, index) => ({
      name: `Group ${index}`,
      external_reference_id: `ref_${index}`,
    }));
    emulator = await startVitableEmulator({ groups: many });
    const rows = ["external_reference_id,name", ...many.map((g) => `${g.external_reference_id},${g.name}`)];
    const { cwd, file } = snapshotFile("all.csv", rows.join("\n"));

    // Act
    const run = await reconcile(["--snapshot", file, "--as-of", AS_OF], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toMatch(/^in_sync {13}250$/m);
    expect(run.stdout).toContain("vitable: 250 groups listed in 3 pages");
    expect(run.stdout).toContain("nothing to repair");
    // Page 1 first (it says how many there are), then the others together, in any order.
    expect(emulator.journal[0]?.query).toEqual({ limit: "100", page: "1" });
    const requests = emulator.journal.map((entry) => [entry.method, entry.path, entry.query]);
    expect(requests.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      ["GET", "/v1/groups", { limit: "100", page: "1" }],
      ["GET", "/v1/groups", { limit: "100", page: "2" }],
      ["GET", "/v1/groups", { limit: "100", page: "3" }],
    ]);
  });

  it.each([
    [
      "snapshot.json",
      JSON.stringify(
        [
          { id: "grp_renamed", external_reference_id: "hr_2", name: "New name" },
          { external_reference_id: "hr_1", name: "Tier 1", extra: { nested: ["]", "}"] } },
          { external_reference_id: "hr_x", name: 42 },
          { external_reference_id: "hr_5", name: 'Quoted "name", with comma' },
          { id: "grp_reffed", external_reference_id: "hr_3_old", name: "Tier 3" },
        ],
        null,
        2,
      ),
      [2, 7, 17, 21, 25],
    ],
    [
      "snapshot.jsonl",
      [
        '{"id":"grp_renamed","external_reference_id":"hr_2","name":"New name"}',
        '{"external_reference_id":"hr_1","name":"Tier 1","extra":{"nested":["]","}"]}}',
        "",
        '{"external_reference_id":"hr_x","name":42}',
        '{"external_reference_id":"hr_5","name":"Quoted \\"name\\", with comma"}',
        '{"id":"grp_reffed","external_reference_id":"hr_3_old","name":"Tier 3"}',
      ].join("\n"),
      [1, 2, 4, 5, 6],
    ],
  ])("reads %s with the same rules and line numbers", async (name, text, lines) => {
    // Prepare
    const { cwd, file } = snapshotFile(name, text);

    // Act
    const run = await reconcile(["--snapshot", file, "--as-of", AS_OF, "--json"], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.drift);
    const report = JSON.parse(run.stdout);
    expect(report.counts).toEqual({
      in_sync: 3,
      name_differs: 1,
      reference_differs: 0,
      missing_in_vitable: 0,
      not_in_snapshot: 1,
      invalid_row: 1,
    });
    expect(report.rows.map((row: { status: string; line: number | null }) => [row.status, row.line])).toEqual(
      [
        ["name_differs", lines[0]],
        ["invalid_row", lines[2]],
        ["not_in_snapshot", null],
      ],
    );
    expect(report.rows[1].problem).toBe("name: expected a string (got number)");
  });

  it("reports every row of a duplicated key with its line, acts on none, and goes on with the others", async () => {
    // Prepare
    const csv = [
      "id,external_reference_id,name",
      "grp_renamed,hr_2,First",
      "grp_renamed,hr_2b,Second",
      ",hr_1,Tier 1",
      ",hr_1,Tier One",
      "grp_reffed,hr_3,Tier 3",
      ",hr_3_old,Tier 3 by reference",
      `,hr_5,too long ${"x".repeat(250)}`,
      "grp_byref,hr_5",
    ].join("\n");
    const { cwd, file } = snapshotFile("dupes.csv", csv);

    // Act
    const run = await reconcile(["--snapshot", file, "--as-of", AS_OF, "--json"], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.drift);
    const report = JSON.parse(run.stdout);
    const problems = Object.fromEntries(
      report.rows.map((row: { line: number; problem?: string; status: string }) => [
        row.line ?? row.status,
        row.problem,
      ]),
    );
    expect(problems).toEqual({
      2: "duplicate key: id grp_renamed is also on line 3",
      3: "duplicate key: id grp_renamed is also on line 2",
      4: 'duplicate key: external_reference_id "hr_1" is also on line 5',
      5: 'duplicate key: external_reference_id "hr_1" is also on line 4',
      6: "duplicate match: group grp_reffed is also matched by line 7",
      7: "duplicate match: group grp_reffed is also matched by line 6",
      8: "name: must be at most 255 characters (got 259)",
      9: "has 2 fields, the header has 3 (check quoting and commas)",
      not_in_snapshot: undefined,
    });
    expect(report.counts.invalid_row).toBe(8);
    expect(report.counts.not_in_snapshot).toBe(1);
  });

  it("with --apply --yes sends one event per repairable row to the queue, as send does, with ids that repeat", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);
    const args = ["--snapshot", file, "--as-of", AS_OF, "--apply", "--yes"];
    const queueArgs = ["--endpoint", sqs.endpoint, "--queue-url", queues.queueUrl];

    // Act
    const first = await reconcile([...args, ...queueArgs, "--json"], { cwd });
    const firstMessages = await drainQueue(sqs.client, queues.queueUrl);
    const second = await reconcile([...args, ...queueArgs], { cwd });
    const secondMessages = await drainQueue(sqs.client, queues.queueUrl);

    // Assess
    expect(first.exitCode).toBe(EXIT.drift);
    expect(JSON.parse(first.stdout).sent).toBe(2);
    const occurredAt = "2026-03-01T11:00:00.000Z";
    const renameId = reconcileEventId(occurredAt, "grp_renamed", { name: "New name" });
    const refId = reconcileEventId(occurredAt, "grp_reffed", { external_reference_id: "hr_3" });
    expect(
      firstMessages
        .map((message) => [
          message.Attributes?.MessageGroupId,
          message.Attributes?.MessageDeduplicationId,
          JSON.parse(message.Body ?? ""),
        ])
        .sort(),
    ).toEqual(
      [
        [
          "id:grp_renamed",
          renameId,
          {
            schema_version: 1,
            type: "group.renamed",
            event_id: renameId,
            occurred_at: occurredAt,
            group: { id: "grp_renamed" },
            changes: { name: "New name" },
            source: "reconcile",
          },
        ],
        [
          "id:grp_reffed",
          refId,
          {
            schema_version: 1,
            type: "group.renamed",
            event_id: refId,
            occurred_at: occurredAt,
            group: { id: "grp_reffed" },
            changes: { external_reference_id: "hr_3" },
            source: "reconcile",
          },
        ],
      ].sort(),
    );
    // The queue deduplicates the second run's sends within five minutes; the ledger drops them after that.
    expect(second.exitCode).toBe(EXIT.drift);
    expect(second.stderr).toBe("");
    expect(second.stdout).toMatch(/sent 2 group\.renamed events to \S+; the ledger applies each/);
    expect(secondMessages).toEqual([]);
    expect(first.io.questions).toEqual([]);
  });

  it("draws the sending progress on a terminal", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);

    // Act
    const run = await reconcile(
      [
        "--snapshot",
        file,
        "--as-of",
        AS_OF,
        "--apply",
        "--yes",
        "--endpoint",
        sqs.endpoint,
        "--queue-url",
        queues.queueUrl,
      ],
      { cwd, stderrIsTTY: true },
    );

    // Assess
    expect(run.exitCode).toBe(EXIT.drift);
    expect(run.stderr).toContain("listing Vitable [");
    expect(run.stderr).toMatch(/sending \[[^\]]*\] 2\/2/);
    expect(await drainQueue(sqs.client, queues.queueUrl)).toHaveLength(2);
  });

  it("asks before sending and sends nothing when the answer is no", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);

    // Act
    const run = await reconcile(
      [
        "--snapshot",
        file,
        "--as-of",
        AS_OF,
        "--apply",
        "--endpoint",
        sqs.endpoint,
        "--queue-url",
        queues.queueUrl,
      ],
      { cwd, answer: false },
    );

    // Assess
    expect(run.io.questions).toEqual([`Send 2 group.renamed events to ${queues.queueUrl}?`]);
    expect(run.stdout).toContain("nothing sent: not confirmed");
    expect(run.exitCode).toBe(EXIT.drift);
    expect(await drainQueue(sqs.client, queues.queueUrl)).toEqual([]);
  });

  it("writes the JSON report with --output, uses the file's modification time without --as-of, and never prints the key", async () => {
    // Prepare
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);
    const modified = new Date("2026-02-14T08:30:00Z");
    utimesSync(join(cwd, file), modified, modified);

    // Act
    const run = await reconcile(["--snapshot", file, "--output", "report.json"], { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.drift);
    expect(run.stdout).toContain("as of 2026-02-14T08:30:00.000Z (the snapshot file's modification time)");
    const report = JSON.parse(readFileSync(join(cwd, "report.json"), "utf8"));
    expect(Object.keys(report)).toEqual(["as_of", "as_of_source", "counts", "rows", "sent"]);
    expect(report).toMatchObject({ as_of: "2026-02-14T08:30:00.000Z", sent: null });
    expect(report.rows[0]).toEqual({
      status: "name_differs",
      group_id: "grp_renamed",
      external_reference_id: "hr_2",
      vitable: { name: "Old name", external_reference_id: "hr_2" },
      snapshot: { name: "New name", external_reference_id: "hr_2" },
      line: 3,
    });
    expect(`${run.stdout}${run.stderr}`).not.toContain(DEFAULT_API_KEY);
  });

  it("finds the drift the example snapshot holds against the emulator's sample groups", async () => {
    // Prepare
    await emulator.stop();
    emulator = await startVitableEmulator({ groups: sampleGroups() });

    // Act
    const run = await reconcile([
      "--snapshot",
      "examples/reconcile/hr-groups.csv",
      "--json",
      "--as-of",
      AS_OF,
    ]);

    // Assess
    expect(run.exitCode).toBe(EXIT.drift);
    const report = JSON.parse(run.stdout);
    expect(report.rows.map((row: { status: string; line: number | null }) => [row.status, row.line])).toEqual(
      [
        ["name_differs", 4],
        ["reference_differs", 5],
        ["missing_in_vitable", 6],
        ["not_in_snapshot", null],
      ],
    );
    expect(report.counts.in_sync).toBe(2);
  });

  it("draws a progress bar on a terminal, but not with --json", async () => {
    // Prepare
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);
    const args = ["--snapshot", file, "--as-of", AS_OF];

    // Act
    const onTerminal = await reconcile(args, { cwd, stderrIsTTY: true });
    const withJson = await reconcile([...args, "--json"], { cwd, stderrIsTTY: true });
    const onPipe = await reconcile(args, { cwd, stderrIsTTY: false });

    // Assess
    expect(onTerminal.stderr).toContain("listing Vitable [");
    expect(withJson.stderr).toBe("");
    expect(onPipe.stderr).toBe("");
    expect(JSON.parse(withJson.stdout).counts.name_differs).toBe(1);
  });

  it("reads the key from the secret named by --api-key-secret-arn, and never prints it", async () => {
    // Prepare: a narrow SDK-level double for Secrets Manager (there is no local Secrets Manager).
    const secrets = mockClient(SecretsManagerClient);
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable/api-key-AbC123";
    secrets
      .on(GetSecretValueCommand, { SecretId: arn })
      .resolves({ SecretString: `{"apiKey":"${DEFAULT_API_KEY}"}` });
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);
    const args = ["--snapshot", file, "--as-of", AS_OF, "--api-key-secret-arn", arn, "--region", "us-east-1"];
    const envWithoutKey = {
      VITABLE_CONNECT_BASE_URL: emulator.url,
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    };

    try {
      // Act
      const run = await reconcile(args, { cwd, env: envWithoutKey });
      secrets
        .on(GetSecretValueCommand)
        .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
      const denied = await reconcile(args, { cwd, env: envWithoutKey });

      // Assess
      expect(run.exitCode).toBe(EXIT.drift);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
      expect(denied.exitCode).toBe(EXIT.failed);
      expect(denied.stderr).toContain(`could not read Vitable API key secret ${arn} (AccessDeniedException)`);
      for (const output of [run.stdout, run.stderr, denied.stdout, denied.stderr]) {
        expect(output).not.toContain(DEFAULT_API_KEY);
      }
    } finally {
      secrets.restore();
    }
  });

  it("fails with exit 1 and without the key when Vitable refuses the key", async () => {
    // Prepare
    const { cwd, file } = snapshotFile("hr-groups.csv", CSV);
    const wrongKey = "vit_apk_wrong_key_1234567890";

    // Act
    const run = await reconcile(["--snapshot", file, "--as-of", AS_OF], {
      cwd,
      env: env({ VITABLE_CONNECT_API_KEY: wrongKey }),
    });

    // Assess
    expect(run.exitCode).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/^group-sync: VitableApiError: Invalid or missing API key$/m);
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrongKey);
  });

  it.each([
    ["a name with no known extension", ["--snapshot", "groups.txt"], /give --format csv, json or jsonl/],
    [
      "an --as-of without offset",
      ["--snapshot", "g.csv", "--as-of", "2026-03-01T12:00:00"],
      /--as-of must be an RFC 3339/,
    ],
    ["--yes without --apply", ["--snapshot", "g.csv", "--yes"], /--yes goes with --apply/],
    [
      "--apply without a queue",
      ["--snapshot", "g.csv", "--apply"],
      /no source queue: give --queue-url or --stack/,
    ],
    ["a missing file", ["--snapshot", "nope.csv"], /cannot read nope\.csv: no such file/],
    [
      "an unknown --format",
      ["--snapshot", "g.csv", "--format", "xml"],
      /Allowed choices are csv, json, jsonl/,
    ],
  ])("refuses %s as a usage error (exit 2)", async (_name, args, message) => {
    // Prepare
    const { cwd } = snapshotFile("g.csv", "external_reference_id,name\nhr_1,Tier 1\n");
    writeFileSync(join(cwd, "groups.txt"), "");

    // Act
    const run = await reconcile(args, { cwd });

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
    expect(emulator.journal).toEqual([]);
  });

  it.each([
    [
      "broken CSV quoting",
      "g.csv",
      'external_reference_id,name\nhr_1,"Tier" 1\n',
      /g\.csv: line 2: not valid CSV/,
    ],
    [
      "a CSV without the name column",
      "g.csv",
      "external_reference_id,title\nhr_1,x\n",
      /lacks the column name/,
    ],
    ["a JSON object instead of an array", "g.json", '{"rows":[]}', /must be an array of objects/],
    [
      "a JSON array cut short",
      "g.json",
      '[{"external_reference_id":"hr_1","name":"Tier 1"},',
      /never closed/,
    ],
    ["no key at all", "g.csv", "external_reference_id,name\n", /no Vitable API key/],
  ])("refuses %s as a usage error (exit 2)", async (name, fileName, text, message) => {
    // Prepare
    const { cwd, file } = snapshotFile(fileName, text);
    const noKey = name === "no key at all" ? { env: { VITABLE_CONNECT_BASE_URL: emulator.url } } : {};

    // Act
    const run = await reconcile(["--snapshot", file, "--as-of", AS_OF], { cwd, ...noKey });

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
  });
});
