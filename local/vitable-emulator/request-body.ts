import type { IncomingMessage } from "node:http";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RequestBody {
  text: string;
  /** The body exceeded MAX_BODY_BYTES; its text is not kept. */
  tooLarge: boolean;
}

/** Reads the whole body; undefined when the client went away before sending all of it. */
export async function readBody(req: IncomingMessage): Promise<RequestBody | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      // Keep draining an oversized body, so the connection stays usable for the 413 answer.
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    }
  } catch {
    return undefined;
  }
  if (!req.complete) return undefined;
  const tooLarge = size > MAX_BODY_BYTES;
  return { text: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge };
}

/** What the journal keeps of a body: parsed JSON, else the raw text; never more than MAX_BODY_BYTES. */
export function journalBody(body: RequestBody): unknown {
  if (body.tooLarge) return "[body over 1 MiB not recorded]";
  if (body.text === "") return undefined;
  try {
    return JSON.parse(body.text);
  } catch {
    return body.text;
  }
}
