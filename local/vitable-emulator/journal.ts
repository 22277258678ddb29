import type { JournalEntry } from "./types.ts";

/**
 * Requests in arrival order. An entry is written once the outcome is known, so a request that waited out some
 * latency is inserted at its arrival position, not at the end.
 */
export class Journal {
  readonly entries: JournalEntry[] = [];
  #lastSeq = 0;
  #clearedThrough = 0;

  nextSeq(): number {
    this.#lastSeq++;
    return this.#lastSeq;
  }

  record(entry: JournalEntry): void {
    // A request that arrived before clear() stays out of the journal even if it finishes afterwards.
    if (entry.seq <= this.#clearedThrough) return;
    let index = this.entries.length;
    while (index > 0 && (this.entries[index - 1]?.seq ?? 0) > entry.seq) index--;
    this.entries.splice(index, 0, entry);
  }

  /** Empties the same array in place, so references to `entries` stay live. */
  clear(): void {
    this.entries.length = 0;
    this.#clearedThrough = this.#lastSeq;
  }
}
