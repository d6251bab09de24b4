/** The input line: its text, the cursor (an index into `text`), and the lines sent before (for Up/Down). */
export interface LineState {
  readonly text: string;
  readonly cursor: number;
  readonly history: readonly string[];
  /** Which history line is shown; `history.length` is the line being typed. */
  readonly historyIndex: number;
  /** The line being typed, kept while Up/Down browse the history. */
  readonly draft: string;
}

export type LineEdit =
  | { readonly kind: "insert"; readonly text: string }
  | { readonly kind: "backspace" }
  | { readonly kind: "delete" }
  | { readonly kind: "left" }
  | { readonly kind: "right" }
  | { readonly kind: "home" }
  | { readonly kind: "end" }
  | { readonly kind: "clear" }
  | { readonly kind: "deleteWord" }
  | { readonly kind: "up" }
  | { readonly kind: "down" }
  | { readonly kind: "set"; readonly text: string };

const HISTORY_LIMIT = 100;

export function emptyLine(history: readonly string[] = []): LineState {
  return { text: "", cursor: 0, history, historyIndex: history.length, draft: "" };
}

/** Apply one key's edit. Pasted text keeps its characters; line breaks become spaces (one line is one message). */
export function editLine(state: LineState, edit: LineEdit): LineState {
  const { text, cursor } = state;
  switch (edit.kind) {
    case "insert": {
      // Control characters (a Ctrl key inside a chunk) are not text.
      const inserted = edit.text.replace(/\r\n|\r|\n/g, " ").replace(/[\u0000-\u001f\u007f]/g, "");
      return { ...state, text: text.slice(0, cursor) + inserted + text.slice(cursor), cursor: cursor + inserted.length };
    }
    case "backspace":
      return cursor === 0 ? state : { ...state, text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case "delete":
      return cursor >= text.length ? state : { ...state, text: text.slice(0, cursor) + text.slice(cursor + 1) };
    case "left":
      return { ...state, cursor: Math.max(0, cursor - 1) };
    case "right":
      return { ...state, cursor: Math.min(text.length, cursor + 1) };
    case "home":
      return { ...state, cursor: 0 };
    case "end":
      return { ...state, cursor: text.length };
    case "clear":
      return { ...state, text: "", cursor: 0 };
    case "deleteWord": {
      const before = text.slice(0, cursor).replace(/\S+\s*$/, "");
      return { ...state, text: before + text.slice(cursor), cursor: before.length };
    }
    case "set":
      return { ...state, text: edit.text, cursor: edit.text.length };
    case "up": {
      if (state.historyIndex === 0) return state;
      const index = state.historyIndex - 1;
      const shown = state.history[index] ?? "";
      const draft = state.historyIndex === state.history.length ? text : state.draft;
      return { ...state, historyIndex: index, text: shown, cursor: shown.length, draft };
    }
    case "down": {
      if (state.historyIndex >= state.history.length) return state;
      const index = state.historyIndex + 1;
      const shown = index === state.history.length ? state.draft : (state.history[index] ?? "");
      return { ...state, historyIndex: index, text: shown, cursor: shown.length };
    }
  }
}

/** After Enter: an empty line, with the sent one at the end of the history (once, however often it is repeated). */
export function submitLine(state: LineState): { line: string; next: LineState } {
  const line = state.text;
  const trimmed = line.trim();
  const history = trimmed === "" || state.history.at(-1) === line ? state.history : [...state.history, line].slice(-HISTORY_LIMIT);
  return { line, next: emptyLine(history) };
}

/** The part of the line that fits in `width` columns, keeping the cursor in view; `cursor` is its column in that part. */
export function visibleLine(state: LineState, width: number): { before: string; at: string; after: string } {
  const room = Math.max(1, width - 1);
  const start = Math.max(0, state.cursor - room);
  const shown = state.text.slice(start, start + room + 1);
  const at = state.cursor - start;
  return { before: shown.slice(0, at), at: shown[at] ?? " ", after: shown.slice(at + 1) };
}

/**
 * A chunk of several keys at once: fast typing over a slow link, tmux's `send-keys`, or a paste.
 * A trailing Enter or Tab is a key press (submit, complete); line breaks and tabs inside are a
 * paste's and become spaces, so a pasted paragraph is one message.
 */
export function readChunk(input: string): { text: string; then?: "submit" | "complete" } {
  const then = /[\r\n]$/.test(input) ? "submit" : input.endsWith("\t") ? "complete" : undefined;
  const body = input.replace(/[\r\n\t]+$/, "").replace(/\r\n|[\r\n\t]/g, " ");
  return then ? { text: body, then } : { text: body };
}
