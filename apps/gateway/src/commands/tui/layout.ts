import wrapAnsi from "wrap-ansi";
import type { EntryRole, Transcript } from "./transcript.js";

/** One screen row of the transcript, with whom it came from (for its colour). */
export interface Row {
  readonly role: EntryRole | "blank";
  readonly text: string;
  /** The first row of an entry carries its speaker's label. */
  readonly label?: string;
}

const LABELS: Record<EntryRole, string> = { user: "you", assistant: "assistant", tool: "tool", notice: "·", error: "!" };

/** Width of the label column: "assistant " is the longest. */
export const LABEL_WIDTH = 10;

function entryRows(role: EntryRole, text: string, width: number): Row[] {
  const room = Math.max(8, width - LABEL_WIDTH);
  // Not trimmed, so indented lines (help, lists) keep their indent; only a break's trailing space goes.
  const wrapped = wrapAnsi(text, room, { hard: true, trim: false })
    .split("\n")
    .map((line) => line.trimEnd());
  return wrapped.map((line, index) => (index === 0 ? { role, text: line, label: LABELS[role] } : { role, text: line }));
}

/** Every row of the transcript at `width` columns, a blank one between entries; streaming replies end it. */
export function transcriptRows(transcript: Transcript, width: number): Row[] {
  const rows: Row[] = [];
  const add = (role: EntryRole, text: string) => {
    if (rows.length > 0) rows.push({ role: "blank", text: "" });
    rows.push(...entryRows(role, text, width));
  };
  for (const entry of transcript.entries) add(entry.role, entry.text);
  for (const run of transcript.live) add("assistant", run.text === "" ? "…" : `${run.text}▍`);
  return rows;
}

/**
 * The rows that fit in `height`, ending `scroll` rows above the newest; `scroll` is clamped to
 * what there is, and returned so PgUp cannot scroll past the top.
 */
export function visibleRows(rows: readonly Row[], height: number, scroll: number): { rows: Row[]; scroll: number; above: number } {
  const max = Math.max(0, rows.length - height);
  const clamped = Math.min(Math.max(0, scroll), max);
  const end = rows.length - clamped;
  const start = Math.max(0, end - height);
  return { rows: rows.slice(start, end), scroll: clamped, above: start };
}
