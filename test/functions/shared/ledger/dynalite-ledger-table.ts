import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { LEDGER_PARTITION_KEY } from "../../../../functions/shared/ledger/ledger-table.ts";

/** Dummy credentials: dynalite checks that requests are signed, not by whom. */
export const TEST_CREDENTIALS = {
  accessKeyId: "AKIDLEDGERTEST",
  secretAccessKey: "ledger-test-secret-do-not-log",
};

export interface DynaliteServer {
  endpoint: string;
  close(): Promise<void>;
}

/** An in-memory DynamoDB on loopback with an ephemeral port. */
export async function startDynalite(): Promise<DynaliteServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export function dynamoClient(endpoint: string, overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: "us-east-1", credentials: TEST_CREDENTIALS, ...overrides });
}

let tableCounter = 0;

/** A fresh ledger table (the layout the CDK stack declares), so tests never share items. */
export async function createLedgerTable(client: DynamoDBClient): Promise<string> {
  tableCounter += 1;
  const tableName = `ledger-test-${process.pid}-${tableCounter}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: LEDGER_PARTITION_KEY, AttributeType: "S" }],
      KeySchema: [{ AttributeName: LEDGER_PARTITION_KEY, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  return tableName;
}
