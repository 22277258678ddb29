import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LEDGER_PARTITION_KEY } from "../../functions/shared/ledger/ledger-table.ts";
import { type Bundle, buildBundles } from "./bundles.ts";
import { type BenchStack, startBenchStack } from "./stack.ts";

const LEDGER_TABLE = "bench-ledger";

/**
 * What the child-process scenarios need: the built bundles (ours and the Powertools reference), the backend with
 * dynalite and a ledger table, and the deployed function's environment pointed at it.
 */
export interface FunctionStack {
  stack: BenchStack;
  workDir: string;
  bundles: Bundle[];
  ours: Bundle;
  reference: Bundle;
  /** The reference plus only the AWS SDK clients group-sync calls: the floor under any bundle carrying its SDK. */
  floor: Bundle;
  /** The deployed function's variables (LOG_LEVEL INFO, metrics on, DynamoDB ledger), on the local stack. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

export async function startFunctionStack(options: {
  groups: number;
  latencyMs: number;
}): Promise<FunctionStack> {
  const workDir = await mkdtemp(path.join(tmpdir(), "vitable-bench-"));
  let stack: BenchStack | undefined;
  try {
    stack = await startBenchStack({ groups: options.groups, latencyMs: options.latencyMs, dynamo: true });
    const bundles = await buildBundles(path.join(workDir, "dist"));
    await createLedgerTable(stack);
    const running = stack;
    return {
      stack,
      workDir,
      bundles,
      ours: findBundle(bundles, "group-sync"),
      reference: findBundle(bundles, "powertools-reference"),
      floor: findBundle(bundles, "sdk-floor"),
      environment: functionEnvironment(stack),
      stop: async () => {
        await running.stop();
        await rm(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack?.stop();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

export function findBundle(bundles: Bundle[], name: string): Bundle {
  const bundle = bundles.find((candidate) => candidate.name === name);
  if (!bundle) throw new Error(`no bundle named ${name} was built`);
  return bundle;
}

function functionEnvironment(stack: BenchStack): Record<string, string> {
  return {
    ...stack.environment({ LOG_LEVEL: "INFO", LEDGER_TABLE_NAME: LEDGER_TABLE }),
    POWERTOOLS_SERVICE_NAME: "vitable-group-sync",
    POWERTOOLS_METRICS_NAMESPACE: "VitableGroupSync",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_ENDPOINT_URL_DYNAMODB: stack.backend.dynamoEndpoint ?? "",
    AWS_ENDPOINT_URL_SQS: stack.backend.sqsEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    PATH: process.env.PATH ?? "",
  };
}

async function createLedgerTable(stack: BenchStack): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: stack.backend.dynamoEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: LEDGER_TABLE,
        AttributeDefinitions: [{ AttributeName: LEDGER_PARTITION_KEY, AttributeType: "S" }],
        KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } finally {
    client.destroy();
  }
}
