import { describeClientError, openClient, type ClientFlags } from "../../client-session.js";
import { NotATerminalError } from "../../errors.js";
import type { CommandIo } from "../../io.js";
import { ChatController } from "./chat-controller.js";

/** `openclaw tui` flags: the client flags, and which session to open. */
export interface TuiFlags extends ClientFlags {
  /** @default "agent:main:main", the main session */
  readonly session?: string;
}

/** The real TUI's scopes: admin makes this connection the owner, so `/think`, `/model`, `/new` and the like are allowed. */
const SCOPES = ["operator.admin", "operator.read", "operator.write"];
export const MAIN_SESSION = "agent:main:main";
/** A restarted gateway is back within seconds; retrying every few seconds at most shows that soon. */
const RECONNECT = { initialMs: 500, maxMs: 5000 };

// Switch to the terminal's alternate screen and back, so the chat does not scroll the shell away.
const ENTER_ALTERNATE_SCREEN = "\u001b[?1049h";
const LEAVE_ALTERNATE_SCREEN = "\u001b[?1049l";

type Terminal = { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };

/** Both ends must be a terminal: keys come in raw, and the screen is redrawn in place. */
function terminalOf(io: CommandIo): Terminal | undefined {
  const stdin = io.stdin as (NodeJS.ReadStream & { setRawMode?: unknown }) | undefined;
  const stdout = io.stdout as NodeJS.WriteStream;
  if (stdin?.isTTY !== true || stdout.isTTY !== true || typeof stdin.setRawMode !== "function") return undefined;
  return { stdin, stdout };
}

/**
 * `openclaw tui` (`openclaw chat`): a chat with the gateway's agent in the terminal. It connects
 * like every client command, then stays connected, reconnecting when the gateway restarts.
 * Resolves when the user quits.
 */
export async function tuiCommand(io: CommandIo, flags: TuiFlags): Promise<void> {
  const terminal = terminalOf(io);
  if (!terminal) throw new NotATerminalError("tui", "openclaw agent --message …");
  const sessionKey = flags.session?.trim() || MAIN_SESSION;
  const { client, target } = await openClient(io, flags, SCOPES, {
    reconnect: RECONNECT,
    client: { id: "openclaw-tui", mode: "ui", displayName: "openclaw tui" },
  });
  const controller = new ChatController(client, sessionKey, (error) => describeClientError(error, target).message);
  try {
    // Ink and React load only here: no other command pays for them.
    const [{ render }, { createElement }, { ChatApp }] = await Promise.all([import("ink"), import("react"), import("./chat-app.js")]);
    terminal.stdout.write(ENTER_ALTERNATE_SCREEN);
    try {
      const app = render(createElement(ChatApp, { controller }), { stdin: terminal.stdin, stdout: terminal.stdout, exitOnCtrlC: true });
      void controller.start();
      await app.waitUntilExit();
    } finally {
      terminal.stdout.write(LEAVE_ALTERNATE_SCREEN);
    }
  } finally {
    controller.dispose();
    await client.close();
  }
}
