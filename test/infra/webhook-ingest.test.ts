import { afterAll, describe, expect, it } from "vitest";
import { InvalidSettingError, resolveSettings, type SettingKey } from "../../infra/settings.ts";
import { onlyResource, queueIds, removeSynthOutput, resourcesOfType, templateFor } from "./stack-fixture.ts";

afterAll(removeSynthOutput);

const WEBHOOK_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hr/webhook-XyZ789";

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function webhookStatements(context: Record<string, unknown> = {}) {
  const template = templateFor(context);
  const statements = resourcesOfType(template, "AWS::IAM::Policy", "Webhook").flatMap(
    ([, policy]) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
  return { template, statements };
}

const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

function target(resource: unknown): string {
  if (typeof resource === "string") return resource;
  const ref = resource as { Ref?: string; "Fn::GetAtt"?: [string, string] };
  return ref.Ref ?? ref["Fn::GetAtt"]?.[0] ?? JSON.stringify(resource);
}

describe("webhook function", () => {
  it("runs the webhook-ingest bundle on nodejs24.x with the queue, the secret and the body limit", () => {
    // Prepare
    const template = templateFor({ webhookMaxBodyBytes: 65_536 });
    const ids = queueIds(template);
    const [secretId] = onlyResource(template, "AWS::SecretsManager::Secret", "Webhook");

    // Act
    const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Webhook");

    // Assess
    expect(fn.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Handler: "index.handler",
      Environment: {
        Variables: {
          SOURCE_QUEUE_URL: { Ref: ids.source },
          WEBHOOK_SECRET_ARN: { Ref: secretId },
          MAX_BODY_BYTES: "65536",
          LOG_LEVEL: "INFO",
        },
      },
    });
    expect(fn.Properties.Environment).not.toHaveProperty("Variables.WEBHOOK_SECRET");
  });

  it("may send to the source queue and read its own secret, nothing else", () => {
    // Prepare
    const { template, statements } = webhookStatements();
    const ids = queueIds(template);
    const [secretId] = onlyResource(template, "AWS::SecretsManager::Secret", "Webhook");
    const [logGroupId] = onlyResource(template, "AWS::Logs::LogGroup", "WebhookBundled");

    // Act
    const granted: Record<string, string[]> = {};
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      const name = target(statement.Resource);
      granted[name] = [...(granted[name] ?? []), ...asList(statement.Action)].sort();
    }

    // Assess
    expect(granted).toEqual({
      [logGroupId]: ["logs:CreateLogStream", "logs:PutLogEvents"],
      [ids.source]: ["sqs:SendMessage"],
      [secretId]: ["secretsmanager:GetSecretValue"],
    });
  });
});

describe("webhook endpoint", () => {
  it("routes only POST /events to the function with payload format 2.0 and no authorizer", () => {
    // Prepare
    const template = templateFor();
    const [functionId] = onlyResource(template, "AWS::Lambda::Function", "Webhook");
    const [apiId, api] = onlyResource(template, "AWS::ApiGatewayV2::Api");

    // Act
    const [, route] = onlyResource(template, "AWS::ApiGatewayV2::Route");
    const [integrationId, integration] = onlyResource(template, "AWS::ApiGatewayV2::Integration");

    // Assess
    expect(api.Properties.ProtocolType).toBe("HTTP");
    expect(route.Properties).toMatchObject({
      ApiId: { Ref: apiId },
      RouteKey: "POST /events",
      AuthorizationType: "NONE",
      Target: { "Fn::Join": ["", ["integrations/", { Ref: integrationId }]] },
    });
    expect(integration.Properties).toMatchObject({
      IntegrationType: "AWS_PROXY",
      IntegrationUri: { "Fn::GetAtt": [functionId, "Arn"] },
      PayloadFormatVersion: "2.0",
    });
  });

  it("lets only this API invoke the function", () => {
    // Prepare
    const template = templateFor();
    const [functionId] = onlyResource(template, "AWS::Lambda::Function", "Webhook");
    const [apiId] = onlyResource(template, "AWS::ApiGatewayV2::Api");

    // Act
    const [, permission] = onlyResource(template, "AWS::Lambda::Permission", "Webhook");

    // Assess
    expect(permission.Properties).toMatchObject({
      Action: "lambda:InvokeFunction",
      FunctionName: { "Fn::GetAtt": [functionId, "Arn"] },
      Principal: "apigateway.amazonaws.com",
    });
    expect(JSON.stringify(permission.Properties.SourceArn)).toContain(JSON.stringify({ Ref: apiId }));
  });

  it.each([
    { webhookRateLimit: 50, webhookBurstLimit: 100 },
    { webhookRateLimit: 5, webhookBurstLimit: 10 },
    { webhookRateLimit: 2000, webhookBurstLimit: 500 },
  ])(
    "throttles the default stage at $webhookRateLimit requests/s with bursts of $webhookBurstLimit",
    (given) => {
      // Prepare
      const template = templateFor(given);

      // Act
      const [, stage] = onlyResource(template, "AWS::ApiGatewayV2::Stage");

      // Assess
      expect(stage.Properties).toMatchObject({
        StageName: "$default",
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: given.webhookRateLimit,
          ThrottlingBurstLimit: given.webhookBurstLimit,
        },
      });
    },
  );

  it("writes JSON access logs, without headers, to a retained log group with the configured retention", () => {
    // Prepare
    const template = templateFor({ logRetentionDays: 90 });
    const [, stage] = onlyResource(template, "AWS::ApiGatewayV2::Stage");
    const [logGroupId, logGroup] = onlyResource(template, "AWS::Logs::LogGroup", "WebhookAccessLogs");

    // Act
    const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format) as Record<string, string>;

    // Assess
    expect(settings.DestinationArn).toEqual({ "Fn::GetAtt": [logGroupId, "Arn"] });
    expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(settings.Format).not.toMatch(/header|authorization|signature/i);
    expect(logGroup.Properties.RetentionInDays).toBe(90);
    expect(logGroup.DeletionPolicy).toBe("Retain");
  });

  it("outputs the URL to POST to", () => {
    // Prepare
    const template = templateFor();
    const [apiId] = onlyResource(template, "AWS::ApiGatewayV2::Api");

    // Act
    const outputs = template.findOutputs("WebhookUrl");

    // Assess
    expect(outputs.WebhookUrl?.Value).toEqual({
      "Fn::Join": ["", [{ "Fn::GetAtt": [apiId, "ApiEndpoint"] }, "/events"]],
    });
  });
});

describe("webhook secret", () => {
  it("is generated by Secrets Manager in the rotation format, never in the template, and kept on teardown", () => {
    // Prepare
    const template = templateFor();

    // Act
    const [secretId, secret] = onlyResource(template, "AWS::SecretsManager::Secret", "Webhook");

    // Assess
    expect(secret.Properties).not.toHaveProperty("SecretString");
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: JSON.stringify({ previous: "" }),
      GenerateStringKey: "current",
      PasswordLength: 64,
    });
    expect(secret.DeletionPolicy).toBe("Retain");
    template.hasOutput("WebhookSecretArn", { Value: { Ref: secretId } });
  });

  it("uses an existing secret by ARN everywhere instead of creating one", () => {
    // Prepare
    const { template, statements } = webhookStatements({ webhookSecretArn: WEBHOOK_SECRET_ARN });

    // Act
    const created = resourcesOfType(template, "AWS::SecretsManager::Secret", "Webhook");
    const [, fn] = onlyResource(template, "AWS::Lambda::Function", "Webhook");

    // Assess
    expect(created).toEqual([]);
    expect(fn.Properties).toMatchObject({
      Environment: { Variables: { WEBHOOK_SECRET_ARN: WEBHOOK_SECRET_ARN } },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: "secretsmanager:GetSecretValue", Resource: WEBHOOK_SECRET_ARN }),
    );
    template.hasOutput("WebhookSecretArn", { Value: WEBHOOK_SECRET_ARN });
  });
});

describe("webhook settings", () => {
  it.each([
    { key: "webhookRateLimit", given: "20", expected: 20 },
    { key: "webhookBurstLimit", given: 40, expected: 40 },
    { key: "webhookMaxBodyBytes", given: "1048576", expected: 1_048_576 },
    { key: "webhookSecretArn", given: WEBHOOK_SECRET_ARN, expected: WEBHOOK_SECRET_ARN },
    { key: "webhookSecretArn", given: "", expected: undefined },
  ] satisfies { key: SettingKey; given: unknown; expected: unknown }[])(
    "reads $key = $given as $expected",
    ({ key, given, expected }) => {
      // Act
      const settings = resolveSettings({ [key]: given });

      // Assess
      expect(settings[key]).toEqual(expected);
    },
  );

  it.each([
    { key: "webhookRateLimit", given: 0, why: "from 1 to 10000" },
    { key: "webhookBurstLimit", given: 5001, why: "from 1 to 5000" },
    { key: "webhookMaxBodyBytes", given: 1023, why: "from 1024 to 1048576" },
    { key: "webhookMaxBodyBytes", given: "lots", why: "whole number" },
    { key: "webhookSecretArn", given: "hr/webhook", why: "complete ARN" },
  ] satisfies { key: SettingKey; given: unknown; why: string }[])(
    "rejects $key = $given, naming the key",
    ({ key, given, why }) => {
      // Act
      const resolve = () => resolveSettings({ [key]: given });

      // Assess
      expect(resolve).toThrow(InvalidSettingError);
      expect(resolve).toThrow(`"${key}"`);
      expect(resolve).toThrow(why);
    },
  );
});
