import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { entryPath, type LambdaFunctionName, REPO_ROOT } from "./bundling.ts";
import { nodejsBundlingOptions } from "./nodejs-bundling.ts";

export interface BundledFunctionProps {
  /** Which function of infra/bundling.ts to deploy; its entry and bundling options come from there. */
  name: LambdaFunctionName;
  description: string;
  timeoutSeconds: number;
  memorySize: number;
  logRetentionDays: number;
  environment: Record<string, string>;
  /** Why this function needs no Lambda DLQ (cdk-nag Serverless-LambdaDLQ): it depends on how it is invoked. */
  noLambdaDlqReason: string;
  /** Concurrency reserved for (and capping) this function; unset, it shares the account's unreserved pool. */
  reservedConcurrentExecutions?: number;
}

/**
 * A Lambda function bundled from the shared entry list, with its own role (no AWS managed policy: it may write
 * only to its own log group) and its own log group with a retention period. Grant it the rest explicitly.
 */
export class BundledFunction extends Construct {
  readonly name: LambdaFunctionName;
  readonly entry: string;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    this.name = props.name;
    this.entry = entryPath(props.name);

    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of the ${props.name} function`,
    });
    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetentionDays as RetentionDays,
      // Kept on teardown for investigation; the retention period still deletes old events.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, "Function", {
      entry: this.entry,
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}/package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: Duration.seconds(props.timeoutSeconds),
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      bundling: nodejsBundlingOptions(),
      environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    });

    Validations.of(this.function).acknowledge({
      id: "Serverless-LambdaTracing",
      reason:
        "X-Ray is off: the code is not instrumented for it, and its write permission needs Resource '*'. " +
        "Structured Powertools logs and metrics carry the correlation ids instead.",
    });
    Validations.of(this.function).acknowledge({
      id: "Serverless-LambdaDLQ",
      reason: props.noLambdaDlqReason,
    });
  }
}
