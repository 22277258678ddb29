import { checkOccurredAt, OCCURRED_AT_MESSAGES } from "../contract/occurred-at.ts";

/** Where the snapshot's instant came from, printed with every report. */
export type AsOfSource = "as_of_option" | "file_modified_time" | "object_last_modified";

export interface AsOf {
  /** RFC 3339, UTC. */
  instant: string;
  source: AsOfSource;
}

export class InvalidAsOfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidAsOfError";
  }
}

/** The instant given by the operator, with the event contract's occurred_at rules (RFC 3339 with an offset). */
export function asOfFromText(text: string): AsOf {
  const problem = checkOccurredAt(text);
  if (problem) throw new InvalidAsOfError(`--as-of ${OCCURRED_AT_MESSAGES[problem]}`);
  return { instant: new Date(text).toISOString(), source: "as_of_option" };
}

export function asOfFromDate(date: Date, source: Exclude<AsOfSource, "as_of_option">): AsOf {
  return { instant: date.toISOString(), source };
}
