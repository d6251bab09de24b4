/** Options for {@link formatPrettyLine}. */
export interface PrettyOptions {
  /** Colour the level with ANSI escapes. @default false */
  readonly color?: boolean;
  /** How many extra fields to show after the message. @default 6 */
  readonly maxFields?: number;
}

const LEVEL_COLORS: Readonly<Record<string, string>> = { trace: "90", debug: "36", info: "32", warn: "33", error: "31", fatal: "35" };
// Shown elsewhere in the line, or noise on a developer's terminal.
const HIDDEN_KEYS = new Set(["time", "level", "message", "subsystem", "pid", "hostname", "err"]);
const MAX_VALUE_CHARS = 80;

/**
 * Render one log record for a terminal: `HH:MM:SS.mmm LEVEL msg key=value …`,
 * followed by an error's stack when the line carries `err`. A line that is not a
 * JSON object is returned unchanged, so nothing is ever swallowed.
 */
export function formatPrettyLine(line: string, options: PrettyOptions = {}): string {
  const record = parseRecord(line);
  if (record === undefined) return line.endsWith("\n") ? line : `${line}\n`;

  const level = typeof record["level"] === "string" ? record["level"] : "info";
  const label = level.toUpperCase().padEnd(5);
  const coloredLabel = options.color === true ? `\u001b[${LEVEL_COLORS[level] ?? "0"}m${label}\u001b[0m` : label;
  const msg = typeof record["message"] === "string" ? record["message"] : "";

  const fields = Object.entries(record)
    .filter(([key]) => !HIDDEN_KEYS.has(key))
    .slice(0, options.maxFields ?? 6)
    .map(([key, value]) => `${key}=${formatValue(value)}`);

  const head = [formatTime(record["time"]), coloredLabel, msg, ...fields].filter((part) => part.length > 0).join(" ");
  return `${head}${formatError(record["err"])}\n`;
}

function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function formatTime(time: unknown): string {
  if (typeof time !== "string" && typeof time !== "number") return "";
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function formatValue(value: unknown): string {
  const text = typeof value === "string" && /^[^\s"=]+$/.test(value) ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function formatError(err: unknown): string {
  if (typeof err !== "object" || err === null) return "";
  const { stack, message } = err as { stack?: unknown; message?: unknown };
  const text = typeof stack === "string" ? stack : typeof message === "string" ? message : "";
  return text.length > 0 ? `\n    ${text.split("\n").join("\n    ")}` : "";
}
