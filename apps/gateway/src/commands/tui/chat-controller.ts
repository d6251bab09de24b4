import type { ClientStatus, GatewayClient } from "@openclaw/client";
import type { ChatEvent } from "@openclaw/protocol";
import { commandAliases, helpText, parseInput, type GatewayCommand } from "./slash.js";
import { appendEntries, applyChatEvent, EMPTY_TRANSCRIPT, fromHistory, type Transcript, type TranscriptEntry } from "./transcript.js";

/** The connection as the status line shows it. */
export type ConnectionView =
  | { readonly state: "connecting" }
  | { readonly state: "open" }
  | { readonly state: "reconnecting"; readonly attempt: number; readonly delayMs: number; readonly lastError: string }
  | { readonly state: "closed"; readonly reason: string };

/** Everything the chat screen draws. */
export interface ChatView {
  readonly connection: ConnectionView;
  readonly sessionKey: string;
  /** `provider/model` of the shown session, once known. */
  readonly model: string | undefined;
  readonly transcript: Transcript;
  /** A reply of this session is being written (ours, or one another client started). */
  readonly running: boolean;
  readonly commands: readonly GatewayCommand[];
  /** Every alias Tab completes. */
  readonly aliases: readonly string[];
  /** Set once the user asked to leave. */
  readonly quit: boolean;
}

/** How many messages of history are shown on start and after a switch or reconnect. */
export const HISTORY_LIMIT = 50;

/** The client calls the chat screen makes; a GatewayClient is one. */
export type ChatClient = Pick<GatewayClient, "call" | "on" | "onStatus" | "status">;

function connectionView(status: ClientStatus): ConnectionView {
  switch (status.state) {
    case "open":
      return { state: "open" };
    case "connecting":
      return { state: "connecting" };
    case "reconnecting":
      return { state: "reconnecting", attempt: status.attempt, delayMs: status.delayMs, lastError: status.lastError.message };
    case "closed":
      return { state: "closed", reason: status.reason.message };
  }
}

/**
 * The chat screen's state and what it asks of the gateway, apart from any terminal: it folds
 * `chat` events of the shown session into the transcript, sends lines (messages and gateway
 * commands alike go through `chat.send`), answers the TUI's own commands, and reloads the
 * history after a reconnect, since events sent while it was away are not replayed.
 */
export class ChatController {
  private current: ChatView;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  /** Runs this TUI started that have not ended yet. */
  private readonly pending = new Set<string>();
  /** Runs of the shown session that ended lately: an end may come before the ack that names the run. */
  private readonly ended = new Set<string>();
  /** The keys `/sessions` listed last, so `/sessions 2` can pick one. */
  private listed: string[] = [];
  private everOpened = false;

  constructor(
    private readonly client: ChatClient,
    sessionKey: string,
    /** One line for a failed call (the CLI's wording, with what to do). */
    private readonly describeError: (error: unknown) => string,
  ) {
    this.current = {
      connection: connectionView(client.status),
      sessionKey,
      model: undefined,
      transcript: EMPTY_TRANSCRIPT,
      running: false,
      commands: [],
      aliases: commandAliases([]),
      quit: false,
    };
  }

  get view(): ChatView {
    return this.current;
  }

  /** Be told of every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listen to the client and load the session. Resolves once the first load is done (or failed, which is shown). */
  async start(): Promise<void> {
    this.unsubscribe.push(
      this.client.on("chat", (event) => this.onChat(event)),
      this.client.on("sessions.changed", (event) => {
        if (event.sessionKey !== this.current.sessionKey || (event.reason !== "new" && event.reason !== "reset")) return;
        this.update({
          transcript: { entries: [{ role: "notice", text: `session ${event.reason === "new" ? "renewed" : "reset"}: history cleared` }], live: [] },
        });
      }),
      this.client.onStatus((status) => this.onStatus(status)),
    );
    if (this.client.status.state === "open") await this.onOpen();
  }

  /** Stop listening; the client is the caller's to close. */
  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.listeners.clear();
  }

  /** Act on a submitted line. */
  async submit(line: string): Promise<void> {
    const action = parseInput(line);
    switch (action.kind) {
      case "empty":
        return;
      case "quit":
        return this.update({ quit: true });
      case "help":
        return this.notice(helpText(this.current.commands));
      case "abort":
        return this.abort();
      case "sessions":
        return action.target === undefined ? this.listSessions() : this.switchSession(action.target);
      case "send":
        return this.send(action.text);
    }
  }

  /** Abort the session's running replies (Esc, `/abort`). */
  async abort(): Promise<void> {
    try {
      const result = await this.client.call("chat.abort", { sessionKey: this.current.sessionKey });
      if (!result.aborted) this.notice("nothing to abort");
    } catch (error) {
      this.error(`abort failed: ${this.describeError(error)}`);
    }
  }

  private async send(text: string): Promise<void> {
    const sessionKey = this.current.sessionKey;
    this.add({ role: "user", text });
    try {
      const ack = await this.client.call("chat.send", { sessionKey, message: text });
      // A run already answered (a repeated key) sends no events.
      if ((ack.status === "started" || ack.status === "in_flight") && !this.ended.has(ack.runId)) this.pending.add(ack.runId);
      this.refreshRunning();
    } catch (error) {
      this.error(`not sent: ${this.describeError(error)}`);
    }
  }

  private async listSessions(): Promise<void> {
    try {
      const { sessions } = await this.client.call("sessions.list", {});
      this.listed = sessions.map((session) => session.key);
      if (sessions.length === 0) return this.notice("No sessions yet. /sessions <key> starts one.");
      const lines = sessions.map((session, index) => {
        const name = session.label ?? session.displayName;
        const model = session.modelProvider && session.model ? ` ${session.modelProvider}/${session.model}` : "";
        const here = session.key === this.current.sessionKey ? "  (shown)" : "";
        return `${String(index + 1).padStart(2)}. ${session.key}${name ? ` "${name}"` : ""}${model}${session.hasActiveRun ? " running" : ""}${here}`;
      });
      this.notice(`Sessions (switch with /sessions <n|key>):\n${lines.join("\n")}`);
    } catch (error) {
      this.error(`sessions.list failed: ${this.describeError(error)}`);
    }
  }

  private async switchSession(target: string): Promise<void> {
    const index = /^\d+$/.test(target) ? Number(target) - 1 : -1;
    const key = index >= 0 ? this.listed[index] : target;
    if (key === undefined) return this.notice(`No session number ${target}; /sessions lists them.`);
    if (/\s/.test(key)) return this.notice(`A session key has no spaces: "${key}".`);
    this.pending.clear();
    this.update({ sessionKey: key, transcript: EMPTY_TRANSCRIPT, model: undefined, running: false });
    await this.loadSession();
  }

  private onChat(event: ChatEvent): void {
    if (event.sessionKey !== this.current.sessionKey) return;
    const terminal = event.state !== "delta";
    if (terminal) {
      this.pending.delete(event.runId);
      if (this.ended.size >= 64) this.ended.clear();
      this.ended.add(event.runId);
    }
    this.current = { ...this.current, transcript: applyChatEvent(this.current.transcript, event) };
    this.refreshRunning();
    // A command may have changed the model (`/model`, `/new <model>`).
    if (terminal) void this.loadModel();
  }

  private onStatus(status: ClientStatus): void {
    const wasOpen = this.current.connection.state === "open";
    this.update({ connection: connectionView(status) });
    if (status.state === "open" && !wasOpen) void this.onOpen();
    // Runs in flight when the socket dropped send their ends to nobody; the reloaded history says how they ended.
    if (status.state !== "open" && wasOpen) {
      this.pending.clear();
      this.update({ transcript: { ...this.current.transcript, live: [] } });
      this.refreshRunning();
    }
  }

  private async onOpen(): Promise<void> {
    const reconnected = this.everOpened;
    this.everOpened = true;
    // Like the real TUI: `sessions.changed` comes to subscribed connections only, and a new socket starts unsubscribed.
    void this.client.call("sessions.subscribe", {}).catch(() => undefined);
    await Promise.all([this.loadCommands(), this.loadSession()]);
    if (reconnected) this.notice("reconnected; history reloaded");
  }

  private async loadCommands(): Promise<void> {
    try {
      const { commands } = await this.client.call("commands.list", { scope: "text" });
      this.update({ commands, aliases: commandAliases(commands) });
    } catch (error) {
      this.error(`commands.list failed: ${this.describeError(error)}`);
    }
  }

  private async loadSession(): Promise<void> {
    const sessionKey = this.current.sessionKey;
    try {
      const history = await this.client.call("chat.history", { sessionKey, limit: HISTORY_LIMIT });
      if (sessionKey !== this.current.sessionKey) return;
      const entries: TranscriptEntry[] = fromHistory(history.messages);
      const intro = entries.length === 0 ? `${sessionKey}: no messages yet` : `${sessionKey}: the last ${entries.length} messages`;
      this.update({ transcript: { entries: [{ role: "notice", text: intro }, ...entries], live: this.current.transcript.live } });
    } catch (error) {
      this.error(`chat.history failed: ${this.describeError(error)}`);
    }
    await this.loadModel();
  }

  private async loadModel(): Promise<void> {
    const sessionKey = this.current.sessionKey;
    try {
      const listed = await this.client.call("sessions.list", {});
      const row = listed.sessions.find((session) => session.key === sessionKey);
      const provider = row?.modelProvider ?? listed.defaults.modelProvider;
      const model = row?.model ?? listed.defaults.model;
      if (sessionKey === this.current.sessionKey && provider && model) this.update({ model: `${provider}/${model}` });
    } catch {
      // Only the status line's model is missing; the chat works without it.
    }
  }

  private refreshRunning(): void {
    this.update({ running: this.pending.size > 0 || this.current.transcript.live.length > 0 });
  }

  private notice(text: string): void {
    this.add({ role: "notice", text });
  }

  private error(text: string): void {
    this.add({ role: "error", text });
  }

  private add(entry: TranscriptEntry): void {
    this.update({ transcript: appendEntries(this.current.transcript, entry) });
  }

  private update(patch: Partial<ChatView>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
