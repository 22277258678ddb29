import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectionSettings, receiveWaitSeconds } from "../../cli/connection.ts";
import { EXIT } from "../../cli/errors.ts";
import { type EmbeddedSqs, startEmbeddedSqs } from "../../local/sqs/embedded-sqs.ts";
import { makeEvent } from "../support/events.ts";
import { groupSync } from "./support/cli-io.ts";
import { freshQueues, putDeadLetter } from "./support/dlq-fixtures.ts";

let sqs: EmbeddedSqs;
beforeAll(async () => {
  sqs = await startEmbeddedSqs();
});
afterAll(async () => {
  await sqs.stop();
});

/** A CloudFormation double that knows one stack with these outputs. */
function cloudFormationWith(stackName: string, outputs: Record<string, string>) {
  const client = new CloudFormationClient({ region: "us-east-1" });
  const mock = mockClient(client);
  mock.on(DescribeStacksCommand).rejects(new Error(`Stack with id ${"other"} does not exist`));
  mock.on(DescribeStacksCommand, { StackName: stackName }).resolves({
    Stacks: [
      {
        StackName: stackName,
        CreationTime: new Date(),
        StackStatus: "CREATE_COMPLETE",
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  return { client, mock };
}

describe("group-sync program", () => {
  it.each([
    {
      argv: ["--help"],
      exitCode: EXIT.ok,
      stream: "stdout",
      text: /Commands:[\s\S]*dlq[\s\S]*send[\s\S]*Exit codes:/,
    },
    { argv: ["dlq", "--help"], exitCode: EXIT.ok, stream: "stdout", text: /list[\s\S]*show[\s\S]*replay/ },
    { argv: ["dlq"], exitCode: EXIT.usage, stream: "stderr", text: /Usage: group-sync dlq/ },
    { argv: [], exitCode: EXIT.usage, stream: "stderr", text: /Usage: group-sync/ },
    { argv: ["redrive"], exitCode: EXIT.usage, stream: "stderr", text: /unknown command 'redrive'/ },
  ])("$argv exits $exitCode", async ({ argv, exitCode, stream, text }) => {
    // Act
    const run = await groupSync(argv);

    // Assess
    expect(run.exitCode).toBe(exitCode);
    expect(stream === "stdout" ? run.stdout : run.stderr).toMatch(text);
  });

  it("finds the queues from the stack's outputs", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    await putDeadLetter(sqs.client, queues.dlqUrl, {
      body: makeEvent({ event_id: "evt-stack" }),
      reason: "conflict",
    });
    const { client, mock } = cloudFormationWith("VitableGroupSync", {
      SourceQueueUrl: queues.queueUrl,
      DlqUrl: queues.dlqUrl,
    });

    // Act
    const run = await groupSync(["dlq", "list", "--stack", "VitableGroupSync", "--endpoint", sqs.endpoint], {
      clients: { cloudFormation: () => client },
    });

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(run.stdout).toContain("evt-stack");
    expect(mock.commandCalls(DescribeStacksCommand)).toHaveLength(1);
  });

  it("does not ask CloudFormation when the URL flags name every queue", async () => {
    // Prepare
    const queues = await freshQueues(sqs.client);
    const { client, mock } = cloudFormationWith("VitableGroupSync", {});

    // Act
    const run = await groupSync(
      ["dlq", "list", "--stack", "VitableGroupSync", "--dlq-url", queues.dlqUrl, "--endpoint", sqs.endpoint],
      { clients: { cloudFormation: () => client } },
    );

    // Assess
    expect(run.exitCode).toBe(EXIT.ok);
    expect(mock.calls()).toHaveLength(0);
  });

  it.each([
    { name: "a stack that does not exist", stack: "Nope", message: /stack Nope does not exist/ },
    { name: "a stack without a DlqUrl output", stack: "VitableGroupSync", message: /has no DlqUrl output/ },
  ])("exits 2 for $name", async ({ stack, message }) => {
    // Prepare
    const { client } = cloudFormationWith("VitableGroupSync", {
      SourceQueueUrl: "https://example.invalid/q",
    });

    // Act
    const run = await groupSync(["dlq", "list", "--stack", stack], {
      clients: { cloudFormation: () => client },
    });

    // Assess
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
  });
});

describe("connectionSettings", () => {
  it.each([
    {
      name: "AWS: everything from the standard chain",
      options: {},
      env: {},
      expected: {},
    },
    {
      name: "AWS with a region flag",
      options: { region: "eu-west-1" },
      env: { AWS_REGION: "us-east-2" },
      expected: { region: "eu-west-1" },
    },
    {
      name: "a local SQS with no AWS setup: us-east-1 and dummy credentials",
      options: { endpoint: "http://127.0.0.1:4566" },
      env: {},
      expected: {
        endpoint: "http://127.0.0.1:4566",
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      },
    },
    {
      name: "a local SQS in a shell that names its own profile and region",
      options: { endpoint: "http://127.0.0.1:4566" },
      env: { AWS_PROFILE: "dev", AWS_DEFAULT_REGION: "eu-central-1" },
      expected: { endpoint: "http://127.0.0.1:4566", region: "eu-central-1" },
    },
  ])("$name", ({ options, env, expected }) => {
    expect(connectionSettings(options, env)).toEqual(expected);
  });

  it.each([
    { endpoint: undefined, seconds: 1 },
    { endpoint: "http://127.0.0.1:4566", seconds: 0 },
    { endpoint: "http://localhost:4566", seconds: 0 },
    { endpoint: "https://vpce-0abc.sqs.us-east-1.vpce.amazonaws.com", seconds: 1 },
  ])("long-polls $seconds s against $endpoint", ({ endpoint, seconds }) => {
    expect(receiveWaitSeconds(endpoint ? { endpoint } : {})).toBe(seconds);
  });
});
