import type { Readable } from "node:stream";
import { rowFromJson } from "./row-from-json.ts";
import { SnapshotFormatError } from "./snapshot-format-error.ts";
import type { RawSnapshotRow } from "./snapshot-row.ts";

/** Longest element accepted, so a broken file cannot make one "row" take all memory. */
const MAX_ELEMENT_CHARS = 1_048_576;

/**
 * Rows of a JSON array snapshot, streamed element by element.
 * Hand-written on purpose: JSON.parse of the whole file holds it all in memory and loses line numbers, and no
 * streaming JSON library reports the line where an element starts, which every row problem must name.
 * Elements are cut out by structure (strings, escapes, nesting) and each is then parsed by JSON.parse, so a
 * malformed element is one invalid row while the others go on.
 */
export async function* jsonArraySnapshotRows(input: Readable): AsyncGenerator<RawSnapshotRow> {
  input.setEncoding("utf8");
  const splitter = new ArraySplitter();
  for await (const chunk of input as AsyncIterable<string>) {
    yield* splitter.push(chunk);
  }
  splitter.end();
}

type State = "before-array" | "expect-element" | "after-element" | "in-element" | "after-array";

const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

class ArraySplitter {
  #state: State = "before-array";
  #line = 1;
  #first = true;
  #sawComma = false;
  // The element being cut out.
  #element = "";
  #elementLine = 0;
  #depth = 0;
  #scalar = false;
  #inString = false;
  #escaped = false;

  *push(chunk: string): Generator<RawSnapshotRow> {
    let text = chunk;
    if (this.#first) {
      this.#first = false;
      text = text.replace(/^\uFEFF/, "");
    }
    let start = 0;
    for (let index = 0; index < text.length; index += 1) {
      const char = text[index] as string;
      if (this.#state === "in-element") {
        const end = this.#scan(char);
        if (end === undefined) {
          if (char === "\n") this.#line += 1;
          continue;
        }
        this.#element += text.slice(start, end === "after" ? index + 1 : index);
        yield rowFromJson(this.#element, this.#elementLine);
        this.#element = "";
        this.#state = "after-element";
        if (end === "after") continue;
      }
      if (char === "\n") this.#line += 1;
      if (WHITESPACE.has(char)) continue;
      if (this.#step(char)) start = index;
    }
    if (this.#state === "in-element") {
      this.#element += text.slice(start);
      if (this.#element.length > MAX_ELEMENT_CHARS) {
        throw new SnapshotFormatError("an array element is longer than 1 MiB", this.#elementLine);
      }
    }
  }

  end(): void {
    if (this.#state === "before-array") throw new SnapshotFormatError("the JSON snapshot is empty");
    if (this.#state !== "after-array") {
      throw new SnapshotFormatError("the JSON array is never closed (is the file cut short?)", this.#line);
    }
  }

  /** Handles a structural character outside elements; true when it begins an element. */
  #step(char: string): boolean {
    switch (this.#state) {
      case "before-array":
        if (char !== "[")
          throw new SnapshotFormatError("a JSON snapshot must be an array of objects", this.#line);
        this.#state = "expect-element";
        return false;
      case "expect-element":
        if (char === "]" && !this.#sawComma) {
          this.#state = "after-array";
          return false;
        }
        if (char === "]" || char === ",")
          throw new SnapshotFormatError(`unexpected ${char} in the array`, this.#line);
        this.#beginElement(char);
        return true;
      case "after-element":
        if (char === ",") {
          this.#state = "expect-element";
          this.#sawComma = true;
          return false;
        }
        if (char === "]") {
          this.#state = "after-array";
          return false;
        }
        throw new SnapshotFormatError(`expected , or ] between array elements (got ${char})`, this.#line);
      default:
        throw new SnapshotFormatError("text after the end of the array", this.#line);
    }
  }

  #beginElement(char: string): void {
    this.#state = "in-element";
    this.#elementLine = this.#line;
    this.#element = "";
    this.#sawComma = false;
    this.#inString = char === '"';
    this.#escaped = false;
    this.#depth = char === "{" || char === "[" ? 1 : 0;
    this.#scalar = !this.#inString && this.#depth === 0;
  }

  /**
   * Feeds the next character of the current element (its first one went to #beginElement): undefined while the
   * element goes on, "after" when this character closes it, "before" when this character is already past its end.
   */
  #scan(char: string): "before" | "after" | undefined {
    if (this.#inString) {
      if (this.#escaped) this.#escaped = false;
      else if (char === "\\") this.#escaped = true;
      else if (char === '"') {
        this.#inString = false;
        if (this.#depth === 0) return "after";
      }
      return undefined;
    }
    if (this.#scalar) return char === "," || char === "]" || WHITESPACE.has(char) ? "before" : undefined;
    if (char === '"') this.#inString = true;
    else if (char === "{" || char === "[") this.#depth += 1;
    else if (char === "}" || char === "]") {
      this.#depth -= 1;
      if (this.#depth === 0) return "after";
    }
    return undefined;
  }
}
