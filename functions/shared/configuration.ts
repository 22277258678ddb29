import * as z from "zod/mini";

/** A misconfigured environment. The message names every offending variable and never echoes a value. */
export class ConfigurationError extends Error {
  readonly variables: string[];
  constructor(problems: Array<{ variable: string; problem: string }>) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.problem}`).join("; ")}`);
    this.name = "ConfigurationError";
    this.variables = problems.map((p) => p.variable);
  }
}

/**
 * Validates environment variables with a zod object schema. Values stay out of the message on purpose: some of
 * these variables hold secrets, and a misconfiguration report ends up in logs.
 */
export function parseEnvironment<S extends z.ZodMiniType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigurationError(
    result.error.issues.map((issue) => ({
      variable: issue.path.length > 0 ? issue.path.map(String).join(".") : "(environment)",
      problem: issue.message,
    })),
  );
}

/** An empty variable counts as unset, as deploy tools often write `NAME=`. */
export const blankToUndefined = (value: unknown) => (value === "" ? undefined : value);

/** `schema` for a variable whose empty value counts as unset (see blankToUndefined). */
export function blankAsUnset<T extends z.ZodMiniType>(schema: T) {
  return z.pipe(z.transform(blankToUndefined), schema);
}

export const envInteger = (min: number, max: number, fallback: number) =>
  blankAsUnset(
    z._default(
      z.coerce
        .number({ error: `must be an integer from ${min} to ${max}` })
        .check(
          z.int({ error: `must be an integer from ${min} to ${max}` }),
          z.minimum(min, { error: `must be at least ${min}` }),
          z.maximum(max, { error: `must be at most ${max}` }),
        ),
      fallback,
    ),
  );

export const envSecretArn = blankAsUnset(
  z.optional(
    z.string().check(
      z.regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, {
        error: "must be a Secrets Manager secret ARN",
      }),
    ),
  ),
);

export const envQueueUrl = z.url({ error: "must be an SQS queue URL" });

const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"] as const;

export const envLogLevel = z.pipe(
  z.transform((value) => (typeof value === "string" && value !== "" ? value.toUpperCase() : undefined)),
  z._default(
    // zod/mini loads no English messages: without this text the problem would read "Invalid input".
    z.enum(LOG_LEVELS, {
      error: `Invalid option: expected one of ${LOG_LEVELS.map((level) => JSON.stringify(level)).join("|")}`,
    }),
    "INFO",
  ),
);

/** Reports, on the first name, unless exactly one of two alternative variables is set (e.g. a value or its secret). */
export function requireExactlyOne(
  env: Record<string, unknown>,
  ctx: { addIssue(issue: { code: "custom"; path: string[]; message: string }): void },
  first: string,
  second: string,
): void {
  const set = [env[first], env[second]].filter(Boolean).length;
  if (set === 1) return;
  ctx.addIssue({
    code: "custom",
    path: [first],
    message: set === 0 ? `set ${first} or ${second}` : `set only one of ${first} and ${second}`,
  });
}
