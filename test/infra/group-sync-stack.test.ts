import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import {
  onlyResource,
  queueIds,
  removeSynthOutput,
  resourceById,
  resourcesOfType,
  templateFor,
} from "./stack-fixture.ts";

afterAll(removeSynthOutput);

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable/api-key-AbC123";

describe("queues", () => {
  it("makes both queues FIFO without content-based deduplication, SSE-encrypted and TLS-only", () => {
    // Prepare
    const template = templateFor();
    const ids = queueIds(template);

    // Act
    const policies = resourcesOfType(template, "AWS::SQS::QueuePolicy");

    // Assess
    for (const id of [ids.source, ids.deadLetter]) {
      expect(resourceById(template, id).Properties).toMatchObject({
        FifoQueue: true,
        ContentBasedDeduplication: false,
        SqsManagedSseEnabled: true,
      });
      const policy = policies.find(
        ([, p]) => JSON.stringify(p.Properties.Queues) === JSON.stringify([{ Ref: id }]),
      );
      expect(policy?.[1].Properties.PolicyDocument).toMatchObject({
        Statement: [
          { Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
      });
    }
  });

  it.each([1, 5, 12])(
    "redrives to the DLQ after maxReceiveCount = %i and tells the function the same count",
    (count) => {
      // Prepare
      const template = templateFor({ maxReceiveCount: count });
      const ids = queueIds(template);

      // Act
      const source = resourceById(template, ids.source);
      const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Sync");

      // Assess
      expect(source.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { "Fn::GetAtt": [ids.deadLetter, "Arn"] },
        maxReceiveCount: count,
      });
      expect(fn.Properties).toMatchObject({
        Environment: { Variables: { MAX_RECEIVE_COUNT: String(count) } },
      });
    },
  );

  it.each([1, 30, 60, 150, 900])(
    "hides a received message for at least 6 x the function timeout (%i s)",
    (timeoutSeconds) => {
      // Prepare
      const template = templateFor({ timeoutSeconds, apiAttemptTimeoutMs: 500 });
      const ids = queueIds(template);

      // Act
      const visibility = resourceById(template, ids.source).Properties.VisibilityTimeout;
      const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Sync");

      // Assess
      expect(fn.Properties.Timeout).toBe(timeoutSeconds);
      expect(visibility).toBeGreaterThanOrEqual(6 * (fn.Properties.Timeout as number));
    },
  );

  it("keeps DLQ messages 14 days and keeps the DLQ on teardown", () => {
    // Prepare
    const template = templateFor();

    // Act
    const deadLetter = resourceById(template, queueIds(template).deadLetter);

    // Assess
    expect(deadLetter.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(deadLetter.DeletionPolicy).toBe("Retain");
    expect(deadLetter.UpdateReplacePolicy).toBe("Retain");
  });
});

describe("sync function", () => {
  it("runs on nodejs24.x, arm64, from index.mjs with source maps enabled", () => {
    // Prepare
    const template = templateFor();

    // Act
    const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Sync");

    // Assess
    expect(fn.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      Environment: { Variables: { NODE_OPTIONS: "--enable-source-maps" } },
    });
  });

  it.each([
    { timeoutSeconds: 60, memorySize: 256, logRetentionDays: 30 },
    { timeoutSeconds: 120, memorySize: 1024, logRetentionDays: 365 },
  ])(
    "applies timeout, memory and log retention: $timeoutSeconds s, $memorySize MB, $logRetentionDays d",
    (given) => {
      // Prepare
      const template = templateFor(given);

      // Act
      const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Sync");
      const [logGroupId, logGroup] = onlyResource(template, "AWS::Logs::LogGroup", "Sync");

      // Assess
      expect(fn.Properties).toMatchObject({
        Timeout: given.timeoutSeconds,
        MemorySize: given.memorySize,
        LoggingConfig: { LogGroup: { Ref: logGroupId } },
      });
      expect(logGroup.Properties.RetentionInDays).toBe(given.logRetentionDays);
    },
  );

  it("receives everything it needs through its environment", () => {
    // Prepare
    const template = templateFor({
      vitableBaseUrl: "https://api.uat.vitablehealth.com",
      apiConcurrency: 3,
      apiAttemptTimeoutMs: 7000,
      ledgerTtlDays: 45,
    });
    const ids = queueIds(template);
    const [tableId] = onlyResource(template, "AWS::DynamoDB::Table");
    const [secretId] = onlyResource(template, "AWS::SecretsManager::Secret", "ApiKey");

    // Act
    const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Sync");

    // Assess
    expect(fn.Properties).toMatchObject({
      Environment: {
        Variables: {
          VITABLE_CONNECT_BASE_URL: "https://api.uat.vitablehealth.com",
          VITABLE_CONNECT_API_KEY_SECRET_ARN: { Ref: secretId },
          SOURCE_QUEUE_URL: { Ref: ids.source },
          DLQ_URL: { Ref: ids.deadLetter },
          API_CONCURRENCY: "3",
          API_ATTEMPT_TIMEOUT_MS: "7000",
          LEDGER_TABLE_NAME: { Ref: tableId },
          LEDGER_TTL_DAYS: "45",
          LOG_LEVEL: "INFO",
          POWERTOOLS_SERVICE_NAME: "vitable-group-sync",
          POWERTOOLS_METRICS_NAMESPACE: "VitableGroupSync",
        },
      },
    });
  });

  it.each([
    { batchSize: 10, maxConcurrency: 5 },
    { batchSize: 1, maxConcurrency: 2 },
    { batchSize: 4, maxConcurrency: 40 },
  ])(
    "reads the source queue with batch $batchSize, at most $maxConcurrency at once, reporting item failures",
    (given) => {
      // Prepare
      const template = templateFor(given);
      const ids = queueIds(template);
      const [functionId] = onlyResource(template, "AWS::Lambda::Function", "Sync");

      // Act
      const [, mapping] = onlyResource(template, "AWS::Lambda::EventSourceMapping");

      // Assess
      expect(mapping.Properties).toEqual({
        EventSourceArn: { "Fn::GetAtt": [ids.source, "Arn"] },
        FunctionName: { Ref: functionId },
        BatchSize: given.batchSize,
        ScalingConfig: { MaximumConcurrency: given.maxConcurrency },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    },
  );
});

describe("ledger table", () => {
  it("is on-demand, keyed by pk, with PITR, TTL on expires_at, SSE, and kept on teardown", () => {
    // Prepare
    const template = templateFor();

    // Act
    const [, table] = onlyResource(template, "AWS::DynamoDB::Table");

    // Assess
    expect(table.Properties).toEqual({
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: "expires_at", Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(table.DeletionPolicy).toBe("Retain");
  });
});

describe("API key secret", () => {
  it("creates an empty placeholder secret by default, kept on teardown", () => {
    // Prepare
    const template = templateFor();

    // Act
    const [, secret] = onlyResource(template, "AWS::SecretsManager::Secret", "ApiKey");

    // Assess
    expect(secret.Properties).not.toHaveProperty("SecretString");
    expect(secret.Properties).not.toHaveProperty("GenerateSecretString");
    expect(secret.DeletionPolicy).toBe("Retain");
  });

  it("uses an existing secret by ARN everywhere instead of creating one", () => {
    // Prepare
    const template = templateFor({ apiKeySecretArn: SECRET_ARN });

    // Act
    const secrets = resourcesOfType(template, "AWS::SecretsManager::Secret", "ApiKey");

    // Assess
    expect(secrets).toEqual([]);
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: { VITABLE_CONNECT_API_KEY_SECRET_ARN: SECRET_ARN } },
    });
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN },
        ]),
      },
    });
    template.hasOutput("ApiKeySecretArn", { Value: SECRET_ARN });
  });
});

describe("outputs", () => {
  it("exports every name a deployer or script needs", () => {
    // Prepare
    const template = templateFor();
    const ids = queueIds(template);
    const [tableId] = onlyResource(template, "AWS::DynamoDB::Table");
    const [functionId] = onlyResource(template, "AWS::Lambda::Function", "Sync");
    const [topicId] = onlyResource(template, "AWS::SNS::Topic");
    const [secretId] = onlyResource(template, "AWS::SecretsManager::Secret", "ApiKey");
    const [webhookApiId] = onlyResource(template, "AWS::ApiGatewayV2::Api", "Webhook");
    const [webhookSecretId] = onlyResource(template, "AWS::SecretsManager::Secret", "Webhook");
    const [dashboardId] = onlyResource(template, "AWS::CloudWatch::Dashboard");
    const [bucketId] = onlyResource(template, "AWS::S3::Bucket", "ReconcileSnapshots");

    // Act
    const outputs = template.findOutputs("*");

    // Assess
    const values = Object.fromEntries(Object.entries(outputs).map(([name, output]) => [name, output.Value]));
    expect(values).toEqual({
      SourceQueueUrl: { Ref: ids.source },
      SourceQueueArn: { "Fn::GetAtt": [ids.source, "Arn"] },
      DlqUrl: { Ref: ids.deadLetter },
      DlqArn: { "Fn::GetAtt": [ids.deadLetter, "Arn"] },
      AlarmTopicArn: { Ref: topicId },
      LedgerTableName: { Ref: tableId },
      ApiKeySecretArn: { Ref: secretId },
      SyncFunctionName: { Ref: functionId },
      WebhookUrl: { "Fn::Join": ["", [{ "Fn::GetAtt": [webhookApiId, "ApiEndpoint"] }, "/events"]] },
      WebhookSecretArn: { Ref: webhookSecretId },
      DashboardName: { Ref: dashboardId },
      SnapshotBucketName: { Ref: bucketId },
    });
  });
});
