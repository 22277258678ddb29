import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { LEDGER_PARTITION_KEY } from "../../functions/shared/ledger/ledger-table.ts";
import { handler as referenceHandler } from "./powertools-lambda.ts";

/**
 * The floor under group-sync: the Powertools reference plus only the AWS SDK clients and commands group-sync uses
 * (ledger, DLQ and visibility, API key secret), bundled like ours, and the two ledger requests per record that a
 * per-group lease needs (take it, write the state and drop it) on a scratch item of the same table. No ledger
 * logic, no logging, no metrics. What it weighs, costs to import and spends per event, no function with our
 * guarantees that carries its own SDK can undercut.
 */
const ledger = new DynamoDBClient({});
const table = process.env.LEDGER_TABLE_NAME ?? "";

/** Built at import, as group-sync builds its clients; kept reachable so that no command is tree-shaken. */
export const awsSdk = {
  clients: [ledger, new SQSClient({}), new SecretsManagerClient({})],
  commands: [DeleteItemCommand, GetItemCommand, SendMessageBatchCommand, ChangeMessageVisibilityBatchCommand],
  errors: [ConditionalCheckFailedException],
  secrets: GetSecretValueCommand,
};

export const handler: typeof referenceHandler = async (event: SQSEvent, context) => {
  const keys = event.Records.map((record) => ({
    [LEDGER_PARTITION_KEY]: { S: `floor#${record.attributes.MessageGroupId ?? record.messageId}` },
  }));
  await Promise.all(
    keys.map((Key) =>
      ledger.send(
        new UpdateItemCommand({
          TableName: table,
          Key,
          UpdateExpression: "SET lease_owner = :owner",
          ExpressionAttributeValues: { ":owner": { S: "floor" } },
          ReturnValues: "ALL_NEW",
        }),
      ),
    ),
  );
  const response = await referenceHandler(event, context);
  await Promise.all(
    keys.map((Key) =>
      ledger.send(new PutItemCommand({ TableName: table, Item: { ...Key, written: { S: "floor" } } })),
    ),
  );
  return response;
};
