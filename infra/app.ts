import { createApp } from "./create-app.ts";
import { InvalidSettingError } from "./settings.ts";

// Run by the CDK CLI (cdk.json: "npx tsx infra/app.ts"); context comes from cdk.json and `-c key=value`.
try {
  createApp().app.synth();
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  // A deployer's typo needs the one line that names the key, not a stack trace.
  console.error(error.message);
  process.exitCode = 1;
}
