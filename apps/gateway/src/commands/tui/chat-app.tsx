import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { Box, Text, useApp, useInput, useStdout, type Key } from "ink";
import type { ChatController, ChatView, ConnectionView } from "./chat-controller.js";
import { LABEL_WIDTH, transcriptRows, visibleRows, type Row } from "./layout.js";
import { editLine, emptyLine, readChunk, submitLine, visibleLine, type LineEdit, type LineState } from "./line-editor.js";
import { completeCommand } from "./slash.js";

/** Rows below the transcript: the status line, the hint line and the input line. */
const CHROME_ROWS = 3;
/** Ink clears the whole terminal on every frame as tall as the terminal; one row less keeps it to redrawing lines. */
const SPARE_ROWS = 1;

const ROW_COLORS: Record<Row["role"], string | undefined> = {
  user: "cyan",
  assistant: "green",
  tool: "magenta",
  notice: "gray",
  error: "red",
  blank: undefined,
};

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on("resize", onResize);
    return () => void stdout.off("resize", onResize);
  });
  return size;
}

/** The key as a line edit, or undefined when the line editor does not take it. */
function lineEditFor(input: string, key: Key): LineEdit | undefined {
  if (key.backspace || key.delete) return { kind: "backspace" };
  if (key.leftArrow) return { kind: "left" };
  if (key.rightArrow) return { kind: "right" };
  if (key.upArrow) return { kind: "up" };
  if (key.downArrow) return { kind: "down" };
  if (key.home || (key.ctrl && input === "a")) return { kind: "home" };
  if (key.end || (key.ctrl && input === "e")) return { kind: "end" };
  if (key.ctrl && input === "u") return { kind: "clear" };
  if (key.ctrl && input === "w") return { kind: "deleteWord" };
  if (key.ctrl && input === "d") return { kind: "delete" };
  if (key.ctrl || key.meta || key.tab || key.return || key.escape || key.pageUp || key.pageDown) return undefined;
  return input === "" ? undefined : { kind: "insert", text: input };
}

function StatusLine({ view }: { view: ChatView }) {
  const where = `${view.sessionKey}${view.model ? ` · ${view.model}` : ""}`;
  const [mark, color, state] = connectionLabel(view.connection);
  const activity = view.connection.state === "open" && view.running ? " · replying… (Esc aborts)" : "";
  return (
    <Text wrap="truncate">
      <Text color={color}>{mark} </Text>
      <Text color={color}>{state}</Text>
      <Text dimColor>{` · ${where}`}</Text>
      <Text color="yellow">{activity}</Text>
    </Text>
  );
}

function connectionLabel(connection: ConnectionView): [string, string, string] {
  switch (connection.state) {
    case "open":
      return ["●", "green", "connected"];
    case "connecting":
      return ["○", "yellow", "connecting…"];
    case "reconnecting":
      return ["○", "yellow", `reconnecting… (attempt ${connection.attempt}, next in ${Math.ceil(connection.delayMs / 1000)}s: ${connection.lastError})`];
    case "closed":
      return ["✕", "red", `disconnected: ${connection.reason} (/quit to leave)`];
  }
}

function TranscriptRow({ row }: { row: Row }) {
  const color = ROW_COLORS[row.role];
  return (
    <Text wrap="truncate">
      <Text color={color} bold>
        {(row.label ?? "").padEnd(LABEL_WIDTH)}
      </Text>
      <Text color={row.role === "notice" ? "gray" : undefined}>{row.text}</Text>
    </Text>
  );
}

/** The chat screen: the transcript above, then the status, a hint and the input line. */
export function ChatApp({ controller }: { controller: ChatController }) {
  const view = useSyncExternalStore(
    (listener) => controller.subscribe(listener),
    () => controller.view,
  );
  const { exit } = useApp();
  const size = useTerminalSize();
  // A row as wide as the terminal leaves the cursor in the last column, where terminals differ.
  const columns = Math.max(20, size.columns - 1);
  const height = Math.max(CHROME_ROWS + 1, size.rows - SPARE_ROWS);
  // Keys can come faster than renders: handlers read and write the line through a ref, never a stale closure.
  const lineRef = useRef<LineState>(emptyLine());
  const [, setLineVersion] = useState(0);
  const setLine = (next: LineState) => {
    lineRef.current = next;
    setLineVersion((version) => version + 1);
  };
  const [scroll, setScroll] = useState(0);
  const [hint, setHint] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (view.quit) exit();
  }, [view.quit, exit]);

  const transcriptHeight = Math.max(1, height - CHROME_ROWS);
  const allRows = transcriptRows(view.transcript, columns);
  const shown = visibleRows(allRows, transcriptHeight, scroll);

  const submit = (state: LineState) => {
    const { line: sent, next } = submitLine(state);
    setLine(next);
    setHint(undefined);
    setScroll(0);
    void controller.submit(sent);
  };
  const complete = (state: LineState) => {
    const completed = completeCommand(state.text, controller.view.aliases);
    setLine(editLine(state, { kind: "set", text: completed.line }));
    setHint(completed.candidates.length > 1 ? completed.candidates.join("  ") : undefined);
  };

  useInput((input, key) => {
    const line = lineRef.current;
    if (input.length > 1 && /[\r\n\t]/.test(input)) {
      const chunk = readChunk(input);
      const typed = editLine(line, { kind: "insert", text: chunk.text });
      if (chunk.then === "submit") submit(typed);
      else if (chunk.then === "complete") complete(typed);
      else setLine(typed);
      return;
    }
    if (key.return) return submit(line);
    if (key.tab) return complete(line);
    if (key.escape) {
      if (controller.view.running) void controller.abort();
      else setLine(editLine(line, { kind: "clear" }));
      return;
    }
    if (key.pageUp || key.pageDown) {
      const page = Math.max(1, transcriptHeight - 2);
      setScroll(Math.max(0, shown.scroll + (key.pageUp ? page : -page)));
      return;
    }
    const edit = lineEditFor(input, key);
    if (edit) {
      setLine(editLine(line, edit));
      if (edit.kind === "insert") setHint(undefined);
    }
  });

  const input = visibleLine(lineRef.current, Math.max(4, columns - 2));
  const scrolled = shown.scroll > 0 ? `scrolled up ${shown.scroll} rows · PgDn to return` : undefined;
  const help = "Enter send · /help commands · Tab complete · Esc abort · Ctrl+C quit";
  return (
    <Box flexDirection="column" height={height} width={columns}>
      <Box flexDirection="column" height={transcriptHeight} justifyContent="flex-end">
        {shown.rows.map((row, index) => (
          <TranscriptRow key={`${shown.above + index}`} row={row} />
        ))}
      </Box>
      <StatusLine view={view} />
      <Text dimColor wrap="truncate">
        {hint ?? scrolled ?? help}
      </Text>
      <Text wrap="truncate">
        <Text color="cyan" bold>
          {"> "}
        </Text>
        {input.before}
        <Text inverse>{input.at}</Text>
        {input.after}
      </Text>
    </Box>
  );
}
