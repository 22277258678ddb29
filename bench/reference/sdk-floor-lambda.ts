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

/**
 * The floor under our bundle: the Powertools reference plus only the AWS SDK clients and commands group-sync
 * calls (ledger, DLQ and visibility, API key secret), built and bundled like ours. No ledger logic, no logging
 * or metrics. What this bundle weighs and costs to import, no function that carries its own SDK can undercut.
 */
export { handler } from "./powertools-lambda.ts";

/** Built at import, as group-sync builds its clients; kept reachable so that no command is tree-shaken. */
export const awsSdk = {
  clients: [new DynamoDBClient({}), new SQSClient({}), new SecretsManagerClient({})],
  commands: [
    UpdateItemCommand,
    PutItemCommand,
    DeleteItemCommand,
    GetItemCommand,
    SendMessageBatchCommand,
    ChangeMessageVisibilityBatchCommand,
    GetSecretValueCommand,
  ],
  errors: [ConditionalCheckFailedException],
};
