import { afterAll, describe, expect, it } from "vitest";
import { onlyResource, queueIds, removeSynthOutput, resourcesOfType, templateFor } from "./stack-fixture.ts";

afterAll(removeSynthOutput);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable/api-key-AbC123";

function statementsOf(context: Record<string, unknown> = {}, under?: string) {
  const template = templateFor(context);
  const statements = resourcesOfType(template, "AWS::IAM::Policy", under).flatMap(
    ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
  return { template, statements };
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** The key prefixes the reconcile function may read and write in its bucket: the only object wildcards allowed. */
const OBJECT_PREFIXES = ["/snapshots/*", "/reports/*"];

/**
 * A resource reference names one resource of the template, or is a literal ARN without wildcards. Objects under one
 * of the reconcile prefixes of one named bucket count as that bucket.
 */
function namedResource(resource: unknown): string {
  if (typeof resource === "string") return resource;
  const ref = resource as { Ref?: string; "Fn::GetAtt"?: [string, string]; "Fn::Join"?: [string, unknown[]] };
  if (ref.Ref) return ref.Ref;
  if (ref["Fn::GetAtt"]?.[1] === "Arn") return ref["Fn::GetAtt"][0];
  const [separator, [bucket, suffix, ...rest] = []] = ref["Fn::Join"] ?? [];
  if (separator === "" && rest.length === 0 && OBJECT_PREFIXES.includes(suffix as string)) {
    return namedResource(bucket);
  }
  throw new Error(`not a reference to one resource: ${JSON.stringify(resource)}`);
}

describe("IAM", () => {
  it.each([
    { name: "default settings", context: {} },
    {
      name: "imported secret and topic",
      context: {
        apiKeySecretArn: SECRET_ARN,
        alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:ops-alarms",
      },
    },
  ])("scopes every allowed action to one named resource ($name)", ({ context }) => {
    // Act
    const { statements } = statementsOf(context);

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const resource of resources) {
        expect(namedResource(resource)).not.toContain("*");
      }
      for (const action of asList(statement.Action)) expect(action).not.toMatch(/\*/);
    }
  });

  it("grants the sync role exactly the actions it uses, each on its own resource", () => {
    // Prepare
    const { template, statements } = statementsOf({}, "Sync");
    const ids = queueIds(template);
    const [tableId] = onlyResource(template, "AWS::DynamoDB::Table");
    const [secretId] = onlyResource(template, "AWS::SecretsManager::Secret", "ApiKey");
    const [logGroupId] = onlyResource(template, "AWS::Logs::LogGroup", "Sync");

    // Act
    const granted: Record<string, string[]> = {};
    for (const statement of statements) {
      const target = namedResource(statement.Resource);
      granted[target] = [...(granted[target] ?? []), ...asList(statement.Action)].sort();
    }

    // Assess
    expect(granted).toEqual({
      [logGroupId]: ["logs:CreateLogStream", "logs:PutLogEvents"],
      [ids.source]: [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
      ],
      [ids.deadLetter]: ["sqs:SendMessage"],
      [secretId]: ["secretsmanager:GetSecretValue"],
      [tableId]: [
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
      ],
    });
  });

  it("attaches no AWS managed policy to any role", () => {
    // Prepare
    const template = templateFor();

    // Act
    const roles = resourcesOfType(template, "AWS::IAM::Role");

    // Assess: CDK's own bucket-notification custom resource is the one exception (acknowledged in infra/reconcile.ts).
    expect(roles.length).toBeGreaterThan(0);
    for (const [id, role] of roles) {
      if (id.startsWith("BucketNotificationsHandler")) continue;
      expect(role.Properties).not.toHaveProperty("ManagedPolicyArns");
    }
  });
});

describe("alarm topic", () => {
  it("is encrypted with a rotating customer key that CloudWatch may use, and accepts TLS only", () => {
    // Prepare
    const template = templateFor();
    const [keyId, key] = onlyResource(template, "AWS::KMS::Key");

    // Act
    const [topicId, topic] = onlyResource(template, "AWS::SNS::Topic");
    const [, topicPolicy] = onlyResource(template, "AWS::SNS::TopicPolicy");

    // Assess
    expect(topic.Properties.KmsMasterKeyId).toEqual({ "Fn::GetAtt": [keyId, "Arn"] });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect((key.Properties.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      }),
    );
    const statements = (topicPolicy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "sns:Publish",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
        Resource: { Ref: topicId },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Allow",
        Action: "sns:Publish",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Resource: { Ref: topicId },
      }),
    );
  });
});

describe("alarms", () => {
  const THRESHOLD = 1200;

  it.each([
    {
      metric: "ApproximateNumberOfMessagesVisible",
      on: "deadLetter",
      threshold: 1,
      operator: "GreaterThanOrEqualToThreshold",
    },
    {
      metric: "ApproximateAgeOfOldestMessage",
      on: "source",
      threshold: THRESHOLD,
      operator: "GreaterThanThreshold",
    },
    { metric: "Errors", on: "function", threshold: 1, operator: "GreaterThanOrEqualToThreshold" },
    { metric: "Throttles", on: "function", threshold: 1, operator: "GreaterThanOrEqualToThreshold" },
    { metric: "Errors", on: "webhookFunction", threshold: 1, operator: "GreaterThanOrEqualToThreshold" },
  ] as const)(
    "alarms on $metric of the $on ($operator $threshold) into the topic",
    ({ metric, on, threshold, operator }) => {
      // Prepare
      const template = templateFor({ oldestMessageAgeAlarmSeconds: THRESHOLD });
      const ids = queueIds(template);
      const [functionId] = onlyResource(template, "AWS::Lambda::Function", "Sync");
      const [webhookFunctionId] = onlyResource(template, "AWS::Lambda::Function", "Webhook");
      const [topicId] = onlyResource(template, "AWS::SNS::Topic");
      const subject = {
        deadLetter: { Name: "QueueName", Value: { "Fn::GetAtt": [ids.deadLetter, "QueueName"] } },
        source: { Name: "QueueName", Value: { "Fn::GetAtt": [ids.source, "QueueName"] } },
        function: { Name: "FunctionName", Value: { Ref: functionId } },
        webhookFunction: { Name: "FunctionName", Value: { Ref: webhookFunctionId } },
      }[on];

      // Act
      const alarms = resourcesOfType(template, "AWS::CloudWatch::Alarm").filter(
        ([, alarm]) =>
          alarm.Properties.MetricName === metric &&
          JSON.stringify(alarm.Properties.Dimensions) === JSON.stringify([subject]),
      );

      // Assess
      expect(alarms).toHaveLength(1);
      expect(alarms[0]?.[1].Properties).toMatchObject({
        Dimensions: [subject],
        Threshold: threshold,
        ComparisonOperator: operator,
        TreatMissingData: "notBreaching",
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
      });
    },
  );

  it("alarms on the webhook stage's 5xx answers into the topic", () => {
    // Prepare
    const template = templateFor({});
    const [apiId] = onlyResource(template, "AWS::ApiGatewayV2::Api");
    const [topicId] = onlyResource(template, "AWS::SNS::Topic");

    // Act
    const alarms = resourcesOfType(template, "AWS::CloudWatch::Alarm").filter(
      ([, alarm]) => alarm.Properties.MetricName === "5xx",
    );

    // Assess
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.[1].Properties).toMatchObject({
      Namespace: "AWS/ApiGateway",
      Dimensions: expect.arrayContaining([{ Name: "ApiId", Value: { Ref: apiId } }]),
      Statistic: "Sum",
      Threshold: 1,
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  it("alarms on ledger read and write throttles into the topic", () => {
    // Prepare
    const template = templateFor();
    const [tableId] = onlyResource(template, "AWS::DynamoDB::Table");
    const [topicId] = onlyResource(template, "AWS::SNS::Topic");

    // Act
    const alarm = resourcesOfType(template, "AWS::CloudWatch::Alarm").find(([, a]) => a.Properties.Metrics);

    // Assess
    const metrics = alarm?.[1].Properties.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[];
    const watched = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    expect(watched).toEqual([
      {
        Namespace: "AWS/DynamoDB",
        MetricName: "ReadThrottleEvents",
        Dimensions: [{ Name: "TableName", Value: { Ref: tableId } }],
      },
      {
        Namespace: "AWS/DynamoDB",
        MetricName: "WriteThrottleEvents",
        Dimensions: [{ Name: "TableName", Value: { Ref: tableId } }],
      },
    ]);
    expect(alarm?.[1].Properties).toMatchObject({ Threshold: 1, AlarmActions: [{ Ref: topicId }] });
  });

  it("publishes to an existing topic instead of creating one, and subscribes the alarm e-mail", () => {
    // Prepare
    const topicArn = "arn:aws:sns:us-east-1:123456789012:ops-alarms";

    // Act
    const template = templateFor({ alarmTopicArn: topicArn, alarmEmail: "ops@example.com" });

    // Assess
    expect(resourcesOfType(template, "AWS::SNS::Topic")).toEqual([]);
    expect(resourcesOfType(template, "AWS::KMS::Key")).toEqual([]);
    const alarms = resourcesOfType(template, "AWS::CloudWatch::Alarm");
    // Seven for sync and the webhook, two for reconcile (drift, function errors).
    expect(alarms).toHaveLength(9);
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.com",
      TopicArn: topicArn,
    });
    template.hasOutput("AlarmTopicArn", { Value: topicArn });
  });
});
