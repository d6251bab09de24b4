/** One queued line for a session's next agent turn (`system-event`, `wake`, cron `systemEvent`). */
export interface SystemEvent {
  readonly text: string;
  readonly ts: number;
}

export interface SystemEventQueueOptions {
  /** Per session; the oldest event is dropped past it. @default 20 */
  readonly maxPerSession?: number;
  /** Sessions with something queued; the longest-waiting session is dropped past it. @default 200 */
  readonly maxSessions?: number;
}

/**
 * System events waiting for a session's next turn. In memory on purpose: they are
 * ephemeral context, not messages, and do not survive a restart. Each session's
 * queue is bounded, and a repeat of the newest line is not queued twice.
 */
export class SystemEventQueue {
  private readonly queues = new Map<string, SystemEvent[]>();
  private readonly maxPerSession: number;
  private readonly maxSessions: number;

  constructor(options: SystemEventQueueOptions = {}) {
    this.maxPerSession = options.maxPerSession ?? 20;
    this.maxSessions = options.maxSessions ?? 200;
  }

  /** Queue `text` for `sessionKey`; false when it is blank or repeats the newest queued line. */
  enqueue(sessionKey: string, text: string, ts: number): boolean {
    const cleaned = text.trim();
    if (cleaned.length === 0) return false;
    let queue = this.queues.get(sessionKey);
    if (queue?.at(-1)?.text === cleaned) return false;
    if (queue === undefined) {
      queue = [];
      this.queues.set(sessionKey, queue);
      // Maps iterate in insertion order: the first key has waited longest.
      if (this.queues.size > this.maxSessions) this.queues.delete(this.queues.keys().next().value!);
    }
    queue.push({ text: cleaned, ts });
    if (queue.length > this.maxPerSession) queue.shift();
    return true;
  }

  /** Take everything queued for `sessionKey`, oldest first; each event is handed out once. */
  drain(sessionKey: string): SystemEvent[] {
    const queue = this.queues.get(sessionKey) ?? [];
    this.queues.delete(sessionKey);
    return queue;
  }

  /** What `sessionKey` would get, without taking it. */
  peek(sessionKey: string): readonly SystemEvent[] {
    return this.queues.get(sessionKey) ?? [];
  }
}

/** The lines a turn's model sees ahead of its message: `System: [<ISO time>] <text>`, one per event. */
export function formatSystemEvents(events: readonly SystemEvent[]): string {
  return events.map((event) => `System: [${new Date(event.ts).toISOString()}] ${event.text}`).join("\n");
}
