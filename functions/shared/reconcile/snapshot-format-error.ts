/** The snapshot as a whole cannot be read (no header, broken CSV quoting, not a JSON array): nothing is compared. */
export class SnapshotFormatError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = "SnapshotFormatError";
    this.line = line;
  }
}
