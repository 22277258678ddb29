import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import type { FaultConfig } from "../vitable-emulator/index.ts";

/** The sample events `npm start` sends, one JSON body per line, and the manifest of their expected outcomes. */
export const DEMO_DIRECTORY = fileURLToPath(new URL("../../examples/local-demo/", import.meta.url));
export const DEMO_EVENTS_FILE = "events.jsonl";
export const DEMO_MANIFEST_FILE = "expected.json";

export interface DemoSample {
  /** 1-based line of events.jsonl. */
  line: number;
  body: string;
  /** What the message must end with: an OutcomeLabel such as "applied" or "dead_lettered:group_not_found". */
  expect: string;
  /** The first delivery must have been left for a retry before the final outcome. */
  retried: boolean;
  shows: string;
}

export interface Demo {
  samples: DemoSample[];
  /** Emulator faults the samples rely on (e.g. 503s that make one sample retry). */
  faults: FaultConfig;
}

/** The demo files disagree with each other or with their format; names the file and the problem. */
export class DemoFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoFileError";
  }
}

const manifestSchema = z.object({
  description: z.string().optional(),
  // Checked in depth by the emulator, which refuses a bad fault configuration with FaultConfigError.
  emulator_faults: z.record(z.string(), z.unknown()).default({}),
  expected: z.array(
    z.object({
      line: z.int().min(1),
      expect: z.string().regex(/^(applied|duplicate|stale|superseded|dead_lettered:[a-z_]+)$/),
      retried: z.boolean().default(false),
      shows: z.string().min(1),
    }),
  ),
});

export async function loadDemo(directory: string = DEMO_DIRECTORY): Promise<Demo> {
  const events = await readFile(`${directory}${DEMO_EVENTS_FILE}`, "utf8");
  const lines = events.split("\n").map((text, index) => ({ line: index + 1, body: text.trim() }));
  const bodies = lines.filter(({ body }) => body !== "");
  const parsed = manifestSchema.safeParse(
    parseJson(await readFile(`${directory}${DEMO_MANIFEST_FILE}`, "utf8")),
  );
  if (!parsed.success) {
    throw new DemoFileError(`${DEMO_MANIFEST_FILE}: ${z.prettifyError(parsed.error)}`);
  }
  const byLine = new Map(parsed.data.expected.map((entry) => [entry.line, entry]));
  if (byLine.size !== parsed.data.expected.length) {
    throw new DemoFileError(`${DEMO_MANIFEST_FILE}: a line is listed twice`);
  }
  const samples = bodies.map(({ line, body }) => {
    const entry = byLine.get(line);
    if (!entry)
      throw new DemoFileError(`${DEMO_EVENTS_FILE} line ${line} has no entry in ${DEMO_MANIFEST_FILE}`);
    byLine.delete(line);
    return { line, body, expect: entry.expect, retried: entry.retried, shows: entry.shows };
  });
  const orphan = [...byLine.keys()][0];
  if (orphan !== undefined) {
    throw new DemoFileError(
      `${DEMO_MANIFEST_FILE} expects line ${orphan}, which ${DEMO_EVENTS_FILE} does not have`,
    );
  }
  return { samples, faults: parsed.data.emulator_faults as FaultConfig };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DemoFileError(
      `${DEMO_MANIFEST_FILE} is not JSON: ${error instanceof Error ? error.message : error}`,
    );
  }
}
