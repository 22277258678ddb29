import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Takes the place of `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias, see
 * infra/bundling.ts). Lambda always hands a function its role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, so the rest of the SDK's default chain (INI files, SSO, process,
 * web identity, IMDS, and the STS/SSO clients they bring) can never run there: measured, it was 92 kB of the
 * 557 kB group-sync bundle. Source runs (tests, the local stack) keep the SDK's full chain.
 */
export function defaultProvider(init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> {
  return fromEnv(init);
}
