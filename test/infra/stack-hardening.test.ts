import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, InvalidSettingError, resolveSettings } from "../../infra/settings.ts";
import { cdkJsonContext, onlyResource, removeSynthOutput, templateFor } from "./stack-fixture.ts";

afterAll(removeSynthOutput);

type KeyStatement = { Principal?: { Service?: string }; Condition?: unknown; Action: unknown };

const ALARMS_OF_THIS_ACCOUNT = {
  ArnLike: {
    "aws:SourceArn": {
      "Fn::Join": [
        "",
        [
          "arn:",
          { Ref: "AWS::Partition" },
          ":cloudwatch:",
          { Ref: "AWS::Region" },
          ":",
          { Ref: "AWS::AccountId" },
          ":alarm:*",
        ],
      ],
    },
  },
  StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
};

describe("alarm topic key", () => {
  it("lets CloudWatch use the key only on behalf of this account's alarms", () => {
    // Prepare
    const template = templateFor();

    // Act
    const [, key] = onlyResource(template, "AWS::KMS::Key");

    // Assess
    const statements = (key.Properties.KeyPolicy as { Statement: KeyStatement[] }).Statement;
    const forCloudWatch = statements.filter((s) => s.Principal?.Service === "cloudwatch.amazonaws.com");
    expect(forCloudWatch).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: ALARMS_OF_THIS_ACCOUNT,
      }),
    ]);
  });

  it("scopes the topic's publish permission the same way", () => {
    // Act
    const template = templateFor();

    // Assess
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Condition: ALARMS_OF_THIS_ACCOUNT,
          }),
        ]),
      },
    });
  });
});

describe("reserved concurrency", () => {
  it.each([
    { context: {}, expected: 10 },
    { context: { webhookReservedConcurrency: "25" }, expected: 25 },
  ])("reserves $expected for the webhook function ($context)", ({ context, expected }) => {
    // Prepare
    const template = templateFor(context);

    // Act
    const [, webhook] = onlyResource(template, "AWS::Lambda::Function", "Webhook");

    // Assess
    expect(webhook.Properties.ReservedConcurrentExecutions).toBe(expected);
  });

  it("leaves the sync function capped by its event source's maxConcurrency instead", () => {
    // Prepare
    const template = templateFor({ maxConcurrency: 7 });

    // Act
    const [, sync] = onlyResource(template, "AWS::Lambda::Function", "Sync");

    // Assess
    expect(sync.Properties).not.toHaveProperty("ReservedConcurrentExecutions");
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      ScalingConfig: { MaximumConcurrency: 7 },
    });
  });

  it("defaults to 10, set in infra/settings.ts alone (cdk.json repeats no default)", () => {
    // Assess
    expect(DEFAULT_SETTINGS.webhookReservedConcurrency).toBe(10);
    expect(cdkJsonContext()).not.toHaveProperty("webhookReservedConcurrency");
  });

  it.each([0, 1001, "many", 2.5])("rejects webhookReservedConcurrency = %s, naming the key", (given) => {
    // Act
    const resolve = () => resolveSettings({ webhookReservedConcurrency: given });

    // Assess
    expect(resolve).toThrow(InvalidSettingError);
    expect(resolve).toThrow('"webhookReservedConcurrency"');
    expect(resolve).toThrow("from 1 to 1000");
  });
});
