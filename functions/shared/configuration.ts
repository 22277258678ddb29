import * as z from "zod";

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
export function parseEnvironment<S extends z.ZodType>(
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

export const envInteger = (min: number, max: number, fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: `must be an integer from ${min} to ${max}` })
      .int({ error: `must be an integer from ${min} to ${max}` })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

export const envSecretArn = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, {
      error: "must be a Secrets Manager secret ARN",
    })
    .optional(),
);

export const envQueueUrl = z.url({ error: "must be an SQS queue URL" });

export const envLogLevel = z.preprocess(
  (value) => (typeof value === "string" && value !== "" ? value.toUpperCase() : undefined),
  z.enum(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL", "SILENT"]).default("INFO"),
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
