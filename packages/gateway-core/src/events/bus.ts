import { findEvent, scopeSatisfied, WireMessages, type EventName, type EventPayload, type StateVersion } from "@openclaw/protocol";
import type { Connection } from "../transport/connection.js";

/** How long a slow consumer's closing socket is kept so the paused reader can still reach the 1008. */
export const SLOW_CONSUMER_DRAIN_MS = 120_000;

/** A service's way to announce an event, typed by the registry. */
export type Broadcast = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** A service's way to send one connection a targeted event. */
export type SendTo<C> = <E extends EventName>(connection: C, event: E, payload: EventPayload<E>) => void;

export interface EventBusOptions {
  /** Close (or skip, for droppable events) a connection whose unsent bytes pass this. */
  readonly maxBufferedBytes: number;
}

/** Whether a connection may see a broadcast event, by the registry's audience. */
function inAudience(connection: Connection, event: string): boolean {
  const admission = connection.admission;
  if (admission === undefined) return false;
  const audience = findEvent(event)?.audience ?? "operator.admin";
  if (audience === "all") return true;
  if (audience === "targeted") return false;
  // Guarded families never reach nodes; they get targeted events instead.
  return admission.role === "operator" && scopeSatisfied(admission.scopes, audience);
}

/**
 * Fans events out to handshaken connections. Each payload is serialized and encoded once;
 * every recipient gets those bytes followed by its own `seq}`. Building the bytes directly keeps a
 * large event (a presence list of thousands of entries) off the JS heap: a string per recipient
 * would be a fresh heap string each, flattened and encoded again by ws.
 */
export class EventBus {
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly options: EventBusOptions) {}

  add(connection: Connection): void {
    this.connections.set(connection.id, connection);
  }

  remove(connection: Connection): void {
    this.connections.delete(connection.id);
  }

  /** A handshaken connection by its id. */
  get(connId: string): Connection | undefined {
    return this.connections.get(connId);
  }

  get size(): number {
    return this.connections.size;
  }

  all(): IterableIterator<Connection> {
    return this.connections.values();
  }

  /** Send an event of the registry, typed by its schema, to every connection in its audience. */
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>, stateVersion?: StateVersion, filter?: (connection: Connection) => boolean): number {
    const prefix = Buffer.from(
      `{"type":"event","event":${JSON.stringify(event)},"payload":${JSON.stringify(payload ?? null)}${
        stateVersion ? `,"stateVersion":${JSON.stringify(stateVersion)}` : ""
      },"seq":`,
    );
    const droppable = findEvent(event)?.dropIfSlow === true;
    let delivered = 0;
    for (const connection of this.connections.values()) {
      if (!inAudience(connection, event) || (filter && !filter(connection))) continue;
      if (!this.roomFor(connection, droppable)) continue;
      connection.seq += 1;
      connection.sendBroadcast(prefix, `${connection.seq}}`);
      delivered += 1;
    }
    return delivered;
  }

  /** A targeted event (no `seq`), e.g. `connect.challenge` or `node.invoke.request`. */
  sendTo<E extends EventName>(connection: Connection, event: E, payload: EventPayload<E>): boolean {
    if (!this.roomFor(connection, false)) return false;
    connection.send(`{"type":"event","event":${JSON.stringify(event)},"payload":${JSON.stringify(payload ?? null)}}`);
    return true;
  }

  /** Send a response or other frame, with the same backpressure rule. */
  sendFrame(connection: Connection, text: string): void {
    if (this.roomFor(connection, false)) connection.send(text);
  }

  private roomFor(connection: Connection, droppable: boolean): boolean {
    if (!connection.isOpen) return false;
    if (connection.bufferedAmount <= this.options.maxBufferedBytes) return true;
    if (!droppable) connection.close(1008, WireMessages.slowConsumer, { drainGraceMs: SLOW_CONSUMER_DRAIN_MS });
    return false;
  }
}
