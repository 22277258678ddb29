import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as z from "zod";
import { buildProgram } from "../cli/main.ts";
import { SYNC_ENVIRONMENT } from "../functions/group-sync/config.ts";
import { WEBHOOK_ENVIRONMENT } from "../functions/webhook-ingest/config.ts";
import { DEFAULT_SETTINGS, SETTING_DESCRIPTIONS, SETTING_KEYS, SETTING_RANGES } from "../infra/settings.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");
/** Help text is wrapped at this width, whatever the terminal that runs `npm run docs`. */
const HELP_WIDTH = 100;

// A region is `<!-- generated:NAME -->` ... `<!-- /generated:NAME -->`; everything between is replaced.
const REGION = /(<!-- generated:([^>]+?) -->\n)[\s\S]*?(<!-- \/generated:\2 -->)/g;

interface JsonSchemaProperty {
  description?: string;
  default?: unknown;
  type?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

function code(value: unknown): string {
  return `\`${String(value)}\``;
}

/** A table of names, defaults and allowed values, with each meaning in a list below it so lines stay short. */
function settingsTable(
  heading: string,
  rows: Array<{ name: string; fallback: string; allowed: string; meaning: string }>,
): string {
  const table = [
    `| ${heading} | default | allowed |`,
    "| --- | --- | --- |",
    ...rows.map((row) => `| ${code(row.name)} | ${row.fallback} | ${row.allowed} |`),
  ];
  const meanings = rows.map((row) => `- ${code(row.name)}: ${row.meaning}`);
  return `${table.join("\n")}\n\n${meanings.join("\n")}\n`;
}

function environmentTable(schema: z.core.$ZodType, required: readonly string[]): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties: Record<string, JsonSchemaProperty>;
  };
  const rows = Object.entries(json.properties).map(([name, property]) => {
    const allowed =
      property.enum !== undefined
        ? property.enum.map(code).join(", ")
        : property.minimum !== undefined && property.maximum !== undefined
          ? `${property.minimum} to ${property.maximum}`
          : "text";
    const fallback =
      property.default !== undefined
        ? code(property.default)
        : required.includes(name)
          ? "required"
          : "unset";
    return { name, fallback, allowed, meaning: property.description ?? "" };
  });
  return settingsTable("variable", rows);
}

function cdkSettingsTable(): string {
  const rows = SETTING_KEYS.map((key) => {
    const fallback = DEFAULT_SETTINGS[key];
    const range = (SETTING_RANGES as Record<string, readonly [number, number]>)[key];
    return {
      name: key,
      fallback: fallback === undefined ? "unset" : code(fallback),
      allowed: range ? `${range[0]} to ${range[1]}` : "text",
      meaning: SETTING_DESCRIPTIONS[key],
    };
  });
  return settingsTable("key", rows);
}

/** `group-sync <words> --help` exactly as an operator sees it, at a fixed width. */
function cliHelp(words: string[]): string {
  let help = "";
  const sink = {
    columns: HELP_WIDTH,
    write: (text: string) => {
      help += text;
      return true;
    },
  };
  // Only the output streams are used for help; the rest of the io is never reached.
  const io = { stdout: sink, stderr: sink } as unknown as Parameters<typeof buildProgram>[0];
  let command = buildProgram(io).command;
  for (const word of words) {
    const sub = command.commands.find((candidate) => candidate.name() === word);
    if (!sub) throw new Error(`no command "${words.join(" ")}"`);
    command = sub;
  }
  command.outputHelp();
  return `\`\`\`text\n$ npx group-sync ${[...words, "--help"].join(" ")}\n${help.trimEnd()}\n\`\`\`\n`;
}

/** The text of every generated region, by name. */
export function generatedRegions(): Map<string, string> {
  const regions = new Map<string, string>([
    ["sync-environment", environmentTable(SYNC_ENVIRONMENT, ["DLQ_URL"])],
    ["webhook-environment", environmentTable(WEBHOOK_ENVIRONMENT, ["SOURCE_QUEUE_URL"])],
    ["cdk-settings", cdkSettingsTable()],
  ]);
  for (const words of [[], ["dlq", "list"], ["dlq", "show"], ["dlq", "replay"], ["send"], ["sign"]]) {
    regions.set(`cli-help ${words.join(" ")}`.trim(), cliHelp(words));
  }
  return regions;
}

/** `example <path>`: a file under examples/ (which tests validate) quoted whole. */
function exampleRegion(name: string, root: string): string | undefined {
  const match = /^example (\S+)$/.exec(name);
  if (!match?.[1]) return undefined;
  const file = path.join(root, "examples", match[1]);
  if (!file.startsWith(path.join(root, "examples") + path.sep)) return undefined;
  const extension = path.extname(file);
  const language = { ".json": "json", ".jsonl": "json", ".ts": "ts", ".mjs": "js" }[extension] ?? "text";
  return `\`\`\`${language}\n${readFileSync(file, "utf8").trimEnd()}\n\`\`\`\n`;
}

/** `text` with every generated region filled in; throws on a region name it does not know. */
export function fillRegions(text: string, regions: Map<string, string>, root = REPO_ROOT): string {
  return text.replace(REGION, (_whole, open: string, name: string, close: string) => {
    const content = regions.get(name) ?? exampleRegion(name, root);
    if (content === undefined) throw new Error(`unknown generated region "${name}"`);
    return `${open}${content}${close}`;
  });
}

/** The docs pages that hold generated regions: README.md and docs/*.md. */
export function docPages(root = REPO_ROOT): string[] {
  const docs = readdirSync(path.join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => path.join("docs", name));
  return ["README.md", ...docs.sort()];
}

/**
 * Regenerates every region of every page. Returns the pages whose text changed (written unless `check`).
 * `npm run docs` writes them; `npm run docs -- --check` only reports and exits 1 when a page is out of date.
 */
export function generateDocs(options: { root?: string; check?: boolean } = {}): string[] {
  const root = options.root ?? REPO_ROOT;
  const regions = generatedRegions();
  const changed: string[] = [];
  for (const page of docPages(root)) {
    const file = path.join(root, page);
    const before = readFileSync(file, "utf8");
    const after = fillRegions(before, regions, root);
    if (after === before) continue;
    changed.push(page);
    if (!options.check) writeFileSync(file, after);
  }
  return changed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes("--check");
  const changed = generateDocs({ check });
  for (const page of changed) console.log(`${check ? "out of date" : "updated"}: ${page}`);
  if (check && changed.length > 0) process.exitCode = 1;
}
