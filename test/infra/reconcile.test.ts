import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidSettingError, resolveSettings } from "../../infra/settings.ts";
import { onlyResource, queueIds, removeSynthOutput, resourcesOfType, templateFor } from "./stack-fixture.ts";

afterAll(removeSynthOutput);

type Statement = { Action: string | string[]; Resource: unknown };

function reconcileStatements(context: Record<string, unknown> = {}) {
  const template = templateFor(context);
  const [, policy] = onlyResource(template, "AWS::IAM::Policy", "ReconcileBundledRole");
  return { template, statements: (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement };
}

describe("the reconcile part of the stack", () => {
  it("keeps snapshots in an encrypted, versioned, TLS-only, private bucket that logs access and expires old data", () => {
    // Prepare
    const template = templateFor({ reconcileRetentionDays: 30 });
    const [logsId] = onlyResource(template, "AWS::S3::Bucket", "ReconcileAccessLogs");
    const [bucketId] = onlyResource(template, "AWS::S3::Bucket", "ReconcileSnapshots");

    // Assess
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: "snapshots/", ExpirationInDays: 30, Status: "Enabled" }),
          Match.objectLike({ Prefix: "reports/", ExpirationInDays: 30, Status: "Enabled" }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
    template.hasOutput("SnapshotBucketName", { Value: { Ref: bucketId } });
  });

  it("runs the reconcile function for objects created under snapshots/ only, and lets only that bucket invoke it", () => {
    // Prepare
    const template = templateFor();
    const [functionId, fn] = onlyResource(template, "AWS::Lambda::Function", "ReconcileBundled");
    const [bucketId] = onlyResource(template, "AWS::S3::Bucket", "ReconcileSnapshots");

    // Assess
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ["s3:ObjectCreated:*"],
            Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "snapshots/" }] } },
            LambdaFunctionArn: { "Fn::GetAtt": [functionId, "Arn"] },
          },
        ],
      },
    });
    const [, permission] = onlyResource(template, "AWS::Lambda::Permission", "ReconcileSnapshots");
    expect(permission.Properties).toMatchObject({
      Action: "lambda:InvokeFunction",
      Principal: "s3.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [functionId, "Arn"] },
      SourceArn: { "Fn::GetAtt": [bucketId, "Arn"] },
      SourceAccount: { Ref: "AWS::AccountId" },
    });
    expect(fn.Properties.Runtime).toBe("nodejs24.x");
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      RECONCILE_AUTO_APPLY: "false",
      VITABLE_CONNECT_API_KEY_SECRET_ARN: { Ref: expect.stringMatching(/^ApiKeySecret/) },
    });
    expect(fn.Properties.Environment).not.toHaveProperty("Variables.SOURCE_QUEUE_URL");
  });

  it("lets the function read snapshots/, write reports/ and read the key, and nothing else", () => {
    // Act
    const { template, statements } = reconcileStatements();

    // Assess
    const [bucketId] = onlyResource(template, "AWS::S3::Bucket", "ReconcileSnapshots");
    const [logsId] = onlyResource(template, "AWS::Logs::LogGroup", "Reconcile");
    const objects = (prefix: string) => ({ "Fn::Join": ["", [{ "Fn::GetAtt": [bucketId, "Arn"] }, prefix]] });
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: { "Fn::GetAtt": [logsId, "Arn"] },
      }),
      expect.objectContaining({
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: objects("/snapshots/*"),
      }),
      expect.objectContaining({ Action: "s3:PutObject", Resource: objects("/reports/*") }),
      expect.objectContaining({
        Action: "secretsmanager:GetSecretValue",
        Resource: { Ref: expect.stringMatching(/^ApiKeySecret/) },
      }),
    ]);
  });

  it("with reconcileAutoApply, may also send to the source queue and is told where it is", () => {
    // Act
    const { template, statements } = reconcileStatements({ reconcileAutoApply: "true" });

    // Assess
    const ids = queueIds(template);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: "sqs:SendMessage", Resource: { "Fn::GetAtt": [ids.source, "Arn"] } }),
    );
    const [, fn] = onlyResource(template, "AWS::Lambda::Function", "ReconcileBundled");
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      RECONCILE_AUTO_APPLY: "true",
      SOURCE_QUEUE_URL: { Ref: ids.source },
    });
  });

  it("alarms on the alarm topic when a report has drift, and when the function fails", () => {
    // Prepare
    const template = templateFor();
    const [topicId] = onlyResource(template, "AWS::SNS::Topic");
    const [functionId] = onlyResource(template, "AWS::Lambda::Function", "ReconcileBundled");

    // Assess
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "VitableGroupSync",
      MetricName: "ReconcileDrift",
      Dimensions: [{ Name: "service", Value: "vitable-group-sync-reconcile" }],
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      TreatMissingData: "notBreaching",
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: functionId } }],
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it("adds one dashboard for the whole stack, with drift per status", () => {
    // Prepare
    const template = templateFor();

    // Act
    const [, dashboard] = onlyResource(template, "AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard.Properties.DashboardBody);

    // Assess
    for (const expected of [
      "Source queue: depth and oldest message age",
      "ApproximateNumberOfMessagesVisible",
      "ApproximateAgeOfOldestMessage",
      "Dead-letter queue depth",
      "EventsApplied",
      "EventsSkippedStale",
      "EventsDeadLettered",
      "ApiLatency",
      "ApiThrottled",
      "Webhook answers",
      "5xx",
      "ReconcileNameDiffers",
      "ReconcileReferenceDiffers",
      "ReconcileMissingInVitable",
      "ReconcileInvalidRow",
    ]) {
      expect(body, expected).toContain(expected);
    }
  });

  it("is left out with context reconcile=false: no bucket, no function, no drift on the dashboard", () => {
    // Act
    const template = templateFor({ reconcile: "false" });

    // Assess
    expect(resourcesOfType(template, "AWS::S3::Bucket")).toEqual([]);
    expect(resourcesOfType(template, "AWS::Lambda::Function", "Reconcile")).toEqual([]);
    expect(Object.keys(template.findOutputs("*"))).not.toContain("SnapshotBucketName");
    const [, dashboard] = onlyResource(template, "AWS::CloudWatch::Dashboard");
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).not.toContain("Reconcile");
  });

  it.each([
    [{}, { reconcile: true, reconcileAutoApply: false, reconcileRetentionDays: 90 }],
    [
      { reconcile: "false", reconcileAutoApply: "true", reconcileRetentionDays: "7" },
      { reconcile: false, reconcileAutoApply: true, reconcileRetentionDays: 7 },
    ],
  ])("reads the reconcile settings %j", (raw, expected) => {
    expect(resolveSettings(raw)).toMatchObject(expected);
  });

  it("refuses a reconcile setting that is not true or false", () => {
    expect(() => resolveSettings({ reconcile: "maybe" })).toThrow(InvalidSettingError);
    expect(() => resolveSettings({ reconcile: "maybe" })).toThrow(/"reconcile".*must be true or false/);
  });
});
