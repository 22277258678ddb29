import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { type Command, Option } from "commander";
import { SIGNATURE_TOLERANCE_SECONDS, signatureHeaders } from "../../functions/webhook-ingest/signature.ts";
import type { SigningScheme } from "../../functions/webhook-ingest/signing-scheme.ts";
import {
  isValidWebhookId,
  STANDARD_SECRET_PREFIX,
  standardWebhookHeaders,
  standardWebhookKey,
} from "../../functions/webhook-ingest/standard-webhook-signature.ts";
import { MIN_SECRET_LENGTH } from "../../functions/webhook-ingest/webhook-secrets.ts";
import type { CommandContext } from "../context.ts";
import { EXIT, type ExitCode, UsageError } from "../errors.ts";
import type { CommandRegistry } from "./registry.ts";

/** Where `npm start` serves the webhook unless told otherwise; WEBHOOK_URL or --url point elsewhere. */
export const DEFAULT_WEBHOOK_URL = "http://127.0.0.1:4020/events";

interface SignOptions {
  secret?: string;
  url?: string;
  timestamp?: string;
  scheme: SigningScheme;
  webhookId?: string;
}

const SCHEMES: readonly SigningScheme[] = ["group-sync", "standard"];

export function registerSignCommand(program: Command, registry: CommandRegistry): void {
  program
    .command("sign")
    .argument("<file>", "the request body to sign: one event or a JSON array of at most 100 events")
    .description("print a curl command that POSTs FILE to the webhook with a valid signature (for 5 minutes)")
    .option("--secret <secret>", "webhook signing secret (default: $WEBHOOK_SECRET; prefer the variable)")
    .option("--url <url>", `webhook URL (default: $WEBHOOK_URL, else ${DEFAULT_WEBHOOK_URL})`)
    .option("--timestamp <seconds>", "sign for this Unix time in seconds instead of now")
    .addOption(
      new Option(
        "--scheme <scheme>",
        "group-sync (x-group-sync-* headers) or standard (Standard Webhooks: webhook-* headers, whsec_ secret)",
      )
        .choices(SCHEMES)
        .default("group-sync"),
    )
    .option(
      "--webhook-id <id>",
      "with --scheme standard: the delivery's webhook-id (default: a new one); reuse it to retry a delivery",
    )
    .action(registry.action((file: string, options: SignOptions) => sign(registry.context, file, options)));
}

async function sign(context: CommandContext, file: string, options: SignOptions): Promise<ExitCode> {
  const { io } = context;
  const secret = options.secret ?? io.env.WEBHOOK_SECRET;
  if (!secret) throw new UsageError("give the signing secret with --secret or the WEBHOOK_SECRET variable");
  if (secret.trim().length < MIN_SECRET_LENGTH) {
    throw new UsageError(
      `the secret is shorter than ${MIN_SECRET_LENGTH} characters; the webhook refuses such secrets`,
    );
  }
  const url = options.url ?? io.env.WEBHOOK_URL ?? DEFAULT_WEBHOOK_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`--url must be an http or https URL (got ${JSON.stringify(url)})`);
  }
  const timestamp =
    options.timestamp === undefined ? io.now().getTime() / 1000 : parseTimestamp(options.timestamp);
  if (file === "-")
    throw new UsageError("FILE must be a file: curl sends the same bytes with --data-binary @FILE");

  const webhookId = options.scheme === "standard" ? checkedWebhookId(options, secret.trim()) : undefined;
  if (options.scheme !== "standard" && options.webhookId !== undefined) {
    throw new UsageError("--webhook-id goes with --scheme standard");
  }

  // Signed as the exact bytes on disk, which is what `--data-binary @FILE` sends (plain -d would strip newlines).
  const body = await readBytes(file, io.cwd);
  const headers =
    webhookId === undefined
      ? signatureHeaders(secret.trim(), body, timestamp)
      : standardWebhookHeaders(secret.trim(), webhookId, body, timestamp);
  const lines = [
    `curl -sS -i -X POST ${shellQuote(url)}`,
    `-H ${shellQuote("content-type: application/json")}`,
    ...Object.entries(headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
    `--data-binary ${shellQuote(`@${file}`)}`,
  ];
  context.out(lines.join(" \\\n  "));
  const expires = new Date((Math.floor(timestamp) + SIGNATURE_TOLERANCE_SECONDS) * 1000).toISOString();
  context.err(`signed ${body.length} bytes; the signature is accepted until ${expires}`);
  if (webhookId !== undefined) {
    context.err(`webhook-id ${webhookId}: sign again with --webhook-id ${webhookId} to retry this delivery`);
  }
  return EXIT.ok;
}

function checkedWebhookId(options: SignOptions, secret: string): string {
  if (standardWebhookKey(secret) === undefined) {
    throw new UsageError(
      `--scheme standard needs a secret of the form ${STANDARD_SECRET_PREFIX}<base64> (a Standard Webhooks secret)`,
    );
  }
  const webhookId = options.webhookId ?? `msg_${randomUUID().replaceAll("-", "")}`;
  if (!isValidWebhookId(webhookId)) {
    throw new UsageError("--webhook-id must be 1 to 256 printable ASCII characters without spaces");
  }
  return webhookId;
}

function parseTimestamp(text: string): number {
  if (!/^\d{1,12}$/.test(text)) throw new UsageError("--timestamp must be a Unix time in whole seconds");
  return Number(text);
}

async function readBytes(file: string, cwd: string): Promise<Buffer> {
  try {
    return await readFile(isAbsolute(file) ? file : join(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}`,
    );
  }
}

/** Single-quotes a word for POSIX shells; a single quote inside becomes '\''. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
