import { mkdirSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { relative, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { WebSocketServer, type WebSocket } from "ws";

/** Quiet time after the last file event before pages reload, so a burst of writes reloads once. */
export const LIVE_RELOAD_DEBOUNCE_MS = 75;

/** One restartable timer: each trigger postpones the run. */
export interface Debouncer {
  trigger(): void;
  cancel(): void;
}

export function createDebouncer(run: () => void, delayMs: number): Debouncer {
  let timer: NodeJS.Timeout | undefined;
  return {
    trigger() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, delayMs);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

// Editor swap files, VCS folders and dependency trees churn without changing what a page shows.
function ignoredUnder(root: string): (path: string) => boolean {
  return (path) => {
    const inside = relative(root, path);
    return inside !== "" && inside.split(sep).some((segment) => segment.startsWith(".") || segment === "node_modules");
  };
}

export interface LiveReloadOptions {
  readonly root: string;
  /** @default 75 */
  readonly debounceMs?: number;
  /** Watcher failures (permissions, too many watches); the host keeps serving files. */
  readonly onError?: (error: unknown) => void;
}

/** Watches the canvas root and tells every connected `/__openclaw__/ws` socket to `reload`. */
export class LiveReload {
  /** Resolves once the watcher has scanned the root; changes before that may go unseen. */
  readonly ready: Promise<void>;
  private readonly watcher: FSWatcher;
  private readonly sockets = new Set<WebSocket>();
  // Peers only ever receive "reload"; anything they send is ignored, so frames stay tiny.
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 });
  private readonly debouncer: Debouncer;
  private closed = false;

  constructor(options: LiveReloadOptions) {
    this.debouncer = createDebouncer(() => this.broadcast("reload"), options.debounceMs ?? LIVE_RELOAD_DEBOUNCE_MS);
    try {
      // The watcher cannot see a root created after it starts, so a fresh canvas would never reload.
      // Agent- and node-written pages: private to the gateway's user, like the rest of the state dir.
      mkdirSync(options.root, { recursive: true, mode: 0o700 });
    } catch (error) {
      options.onError?.(error);
    }
    this.watcher = watch(options.root, { ignoreInitial: true, ignored: ignoredUnder(options.root) });
    this.watcher.on("all", () => {
      if (!this.closed) this.debouncer.trigger();
    });
    this.watcher.on("error", (error) => options.onError?.(error));
    this.ready = new Promise((resolve) => this.watcher.once("ready", () => resolve()));
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  /** Complete a WebSocket upgrade the caller has already authorized. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      // The handshake can finish after close() began.
      if (this.closed) return ws.terminate();
      this.sockets.add(ws);
      ws.on("close", () => this.sockets.delete(ws));
      ws.on("error", () => ws.terminate());
    });
  }

  private broadcast(message: string): void {
    for (const ws of this.sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  }

  /** Stop watching, cancel a pending reload and drop every socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.watcher.close();
    this.debouncer.cancel();
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
