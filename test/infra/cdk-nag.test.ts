import { Validations } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { fastApp, removeSynthOutput } from "./stack-fixture.ts";

afterAll(removeSynthOutput);

const VARIANTS = [
  { name: "default settings", context: {} },
  { name: "alarm e-mail", context: { alarmEmail: "ops@example.com" } },
  {
    name: "imported secret and topic",
    context: {
      apiKeySecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:vitable/api-key-AbC123",
      alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:ops-alarms",
      alarmEmail: "ops@example.com",
      webhookSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:hr/webhook-XyZ789",
    },
  },
  { name: "reconcile with auto-apply", context: { reconcileAutoApply: true } },
  { name: "without reconcile", context: { reconcile: "false" } },
];

function findings(scope: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  );
}

/** Every acknowledgment in the tree as "rule @ construct path", with its reason. */
function acknowledgments(scope: IConstruct): { finding: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          finding: `${id.replace(/^annotation::/i, "")} @ ${construct.node.path}`,
          reason,
        })),
      ),
  );
}

/** Findings reported on a construct or a child of it, keyed like acknowledgments. */
function acknowledgedBy(finding: string, acks: { finding: string }[]): boolean {
  const [rule, path] = finding.split(" @ ");
  return acks.some((ack) => {
    const [ackRule, ackPath] = ack.finding.split(" @ ");
    return ackRule === rule && (path === ackPath || path?.startsWith(`${ackPath}/`));
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("cdk-nag AwsSolutions and Serverless packs", () => {
  it.each(VARIANTS)("report no unacknowledged finding ($name)", ({ context }) => {
    // Prepare
    const { stack } = fastApp(context);

    // Act
    const unacknowledged = findings(stack);

    // Assess
    expect(unacknowledged).toEqual([]);
  });

  it.each(VARIANTS)("acknowledge only real findings, each with a reason ($name)", ({ context }) => {
    // Prepare
    const acks = acknowledgments(fastApp(context).stack);
    vi.spyOn(Validations.prototype, "acknowledge").mockImplementation(() => undefined);

    // Act
    const raw = findings(fastApp(context).stack);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(
        raw.some((finding) => acknowledgedBy(finding, [ack])),
        ack.finding,
      ).toBe(true);
      expect(ack.reason.length, ack.finding).toBeGreaterThanOrEqual(60);
    }
    for (const finding of raw) expect(acknowledgedBy(finding, acks), finding).toBe(true);
  });

  it("are registered on the app, so a non-compliant resource fails the synth", () => {
    // Prepare
    const { app, stack } = fastApp();
    new Queue(stack, "UnencryptedQueueWithoutDlq", { encryption: undefined });

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS4[\s\S]*Serverless-SQSRedrivePolicy/);
  });
});
