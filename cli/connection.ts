import { UsageError } from "./errors.ts";

/** --endpoint and --region as given on the command line. */
export interface ConnectionOptions {
  endpoint?: string;
  region?: string;
}

/** Client configuration: anything left out comes from the standard AWS chain (env, profile, instance role). */
export interface ConnectionSettings {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const LOCAL_REGION = "us-east-1";
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * A local SQS (fauxqs) accepts any signature, so with --endpoint the CLI works in a shell with no AWS setup: region
 * us-east-1 and dummy credentials unless the environment names its own.
 */
export function connectionSettings(
  options: ConnectionOptions,
  env: Readonly<Record<string, string | undefined>>,
): ConnectionSettings {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (options.endpoint === undefined) return region ? { region } : {};
  const endpoint = checkedEndpoint(options.endpoint);
  const hasOwnCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  return {
    endpoint,
    region: region ?? LOCAL_REGION,
    // A copy: the SDK marks the credentials object it is given.
    ...(hasOwnCredentials ? {} : { credentials: { ...LOCAL_CREDENTIALS } }),
  };
}

function checkedEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--endpoint must be a URL such as http://127.0.0.1:4566 (got ${JSON.stringify(text)})`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--endpoint must use http or https (got ${url.protocol})`);
  }
  return text;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Seconds each receive waits for messages. On AWS a short poll asks only some servers and can come back empty while
 * messages remain, so receives long-poll for a second; an SQS on this machine answers exactly and need not wait.
 */
export function receiveWaitSeconds(settings: ConnectionSettings): number {
  if (settings.endpoint === undefined) return 1;
  return LOOPBACK_HOSTS.has(new URL(settings.endpoint).hostname) ? 0 : 1;
}
