import { App, type AppProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { DEFAULT_STACK_NAME, GroupSyncStack } from "./group-sync-stack.ts";
import { InvalidSettingError, settingsFromContext } from "./settings.ts";

export interface GroupSyncApp {
  app: App;
  stack: GroupSyncStack;
}

/**
 * Builds the CDK app: one GroupSyncStack configured from context, checked by the cdk-nag AwsSolutions and
 * Serverless packs (any unacknowledged finding fails the synth). Context key `stackName` renames the stack.
 */
export function createApp(props: AppProps = {}): GroupSyncApp {
  const app = new App(props);
  const settings = settingsFromContext((key) => app.node.tryGetContext(key));
  const stackName = app.node.tryGetContext("stackName") ?? DEFAULT_STACK_NAME;
  if (typeof stackName !== "string" || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new InvalidSettingError(
      "stackName",
      "must start with a letter and hold only letters, digits and hyphens",
      stackName,
    );
  }
  const stack = new GroupSyncStack(app, stackName, {
    settings,
    description: "vitable-group-sync: HR group renames from SQS FIFO to Vitable Connect",
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}
