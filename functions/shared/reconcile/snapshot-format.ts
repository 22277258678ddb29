export const SNAPSHOT_FORMATS = ["csv", "json", "jsonl"] as const;
export type SnapshotFormat = (typeof SNAPSHOT_FORMATS)[number];

/** The format a file name implies (`.csv`, `.json`, `.jsonl`, any case), or undefined. */
export function snapshotFormatOf(fileName: string): SnapshotFormat | undefined {
  const match = /\.(csv|jsonl|json)$/i.exec(fileName);
  return match ? (match[1]?.toLowerCase() as SnapshotFormat) : undefined;
}
