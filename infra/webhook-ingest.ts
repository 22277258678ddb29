import { RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { BundledFunction } from "./bundled-function.ts";
import type { GroupSyncSettings } from "./settings.ts";
import { WebhookSecret } from "./webhook-secret.ts";

export interface WebhookIngestProps {
  settings: GroupSyncSettings;
  sourceQueue: IQueue;
}

/** The only route: HR systems POST signed events here. */
export const WEBHOOK_PATH = "/events";

/** Enough for a secret read and ten SendMessageBatch calls with SDK retries; API Gateway waits up to 30 s. */
const WEBHOOK_TIMEOUT_SECONDS = 10;
const WEBHOOK_MEMORY_MB = 256;

// One JSON object per request, so CloudWatch Logs Insights can query the fields. No headers are logged.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    requestTime: "$context.requestTime",
    sourceIp: "$context.identity.sourceIp",
    userAgent: "$context.identity.userAgent",
    method: "$context.httpMethod",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    integrationStatus: "$context.integrationStatus",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
  }),
);

/**
 * The HTTPS webhook: an API Gateway HTTP API (throttled, access-logged) in front of the webhook-ingest
 * function, which checks the HMAC signature itself and may only send messages to the source queue.
 */
export class WebhookIngest extends Construct {
  readonly bundled: BundledFunction;
  readonly secret: WebhookSecret;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** The full URL to POST events to. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebhookIngestProps) {
    super(scope, id);
    const { settings, sourceQueue } = props;

    this.secret = new WebhookSecret(this, "Secret", { existingSecretArn: settings.webhookSecretArn });
    this.bundled = new BundledFunction(this, "Bundled", {
      name: "webhook-ingest",
      description: "Checks signed HR webhooks and queues their group-renamed events",
      timeoutSeconds: WEBHOOK_TIMEOUT_SECONDS,
      memorySize: WEBHOOK_MEMORY_MB,
      logRetentionDays: settings.logRetentionDays,
      // A flood of requests, signed or not, must not take the account's concurrency from other functions.
      reservedConcurrentExecutions: settings.webhookReservedConcurrency,
      noLambdaDlqReason:
        "API Gateway invokes this function synchronously and returns its answer to the sender, who resends " +
        "on a 5xx; a Lambda DLQ only applies to asynchronous invocations.",
      environment: {
        SOURCE_QUEUE_URL: sourceQueue.queueUrl,
        WEBHOOK_SECRET_ARN: this.secret.secretArn,
        WEBHOOK_SECRET_CACHE_SECONDS: "300",
        MAX_BODY_BYTES: String(settings.webhookMaxBodyBytes),
        LOG_LEVEL: "INFO",
        POWERTOOLS_SERVICE_NAME: "vitable-group-sync-webhook",
      },
    });
    const role = this.bundled.role;
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [sourceQueue.queueArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [this.secret.secretArn] }),
    );

    this.api = new HttpApi(this, "Api", {
      apiName: `${Stack.of(this).stackName}-webhook`,
      description: "vitable-group-sync webhook: signed HR group-renamed events",
      // The stage below is made by hand to set throttling and access logging on it.
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: settings.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, "Stage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: settings.webhookRateLimit, burstLimit: settings.webhookBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
    const [route] = this.api.addRoutes({
      path: WEBHOOK_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration("Ingest", this.bundled.function, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });
    if (route) {
      Validations.of(route).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "HR systems cannot obtain AWS credentials or JWTs; each request is authenticated in the function by " +
          "an HMAC-SHA256 signature over its timestamp and raw body, which an API Gateway authorizer cannot see.",
      });
    }
    this.url = `${this.api.apiEndpoint}${WEBHOOK_PATH}`;
  }
}
