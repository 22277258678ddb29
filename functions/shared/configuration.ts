import type * as z from "zod";

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
