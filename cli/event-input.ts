import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { jsonDepthIssue } from "../functions/shared/contract/index.ts";
import { UsageError } from "./errors.ts";
import type { InputStream } from "./io.ts";

/** One event as read from the input, still unchecked: its text is validated exactly like a queue message body. */
export interface InputEvent {
  /** Where it was in the input, for messages: `line 3`, `item 2` or `document`. */
  position: string;
  body: string;
}

/** Reads FILE, or stdin for `-`. */
export async function readInputText(source: string, cwd: string, stdin: InputStream): Promise<string> {
  if (source === "-") {
    const chunks: string[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    return chunks.join("");
  }
  const path = isAbsolute(source) ? source : join(cwd, source);
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${source}: ${code === "ENOENT" ? "no such file" : String(code ?? error)}`,
    );
  }
}

/**
 * Splits the input into events. A JSON array gives one event per element (`item N`, counted from 1); a single JSON
 * value gives one (`document`); anything else is read as JSON Lines, one event per non-blank line (`line N`), so a
 * broken line is reported on its own and the others still go through.
 */
export function splitEvents(text: string): InputEvent[] {
  const trimmed = text.trim();
  if (trimmed === "") throw new UsageError("the input holds no events");
  if (trimmed.startsWith("[")) return arrayItems(trimmed);
  if (parsesAsJson(trimmed)) return [{ position: "document", body: trimmed }];
  const events: InputEvent[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() !== "") events.push({ position: `line ${index + 1}`, body: line.trim() });
  }
  return events;
}

function arrayItems(text: string): InputEvent[] {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`the input starts with [ but is not a JSON array: ${reason}`);
  }
  if (!Array.isArray(items)) throw new UsageError("the input starts with [ but is not a JSON array");
  // Each item is re-serialised below, which overflows the stack on very deep nesting: same limit as the webhook.
  const tooDeep = jsonDepthIssue(text, "", "the input");
  if (tooDeep) throw new UsageError(tooDeep.message);
  if (items.length === 0) throw new UsageError("the input holds no events");
  return items.map((item, index) => ({ position: `item ${index + 1}`, body: JSON.stringify(item) }));
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
