// What serve records about a client: every socket, every frame it sent (with the monotonic time it
// arrived), what serve did in return, and the moments the checks compare.
import type { WireFrame } from "../wire.js";
import type { ProofVerdict } from "./device-proof.js";

/** One frame a client sent. */
export interface ClientFrame {
  /** Monotonic arrival time. */
  readonly at: number;
  readonly raw: string;
  readonly binary: boolean;
  /** The frame when it is a text frame holding one JSON object. */
  readonly frame: WireFrame | undefined;
  /** It arrived before serve sent this socket's `connect.challenge`. */
  readonly beforeChallenge: boolean;
}

/** Why a socket ended. */
export type SocketEnd =
  | "client" // the client closed it (or the connection dropped)
  | "restart" // serve closed it with 1012, as the script says
  | "refused" // serve refused a first frame that was not connect, as a gateway does
  | "handshake-timeout" // no connect came in time
  | "finished"; // serve stopped

export interface SocketRecord {
  /** 1-based, in the order the sockets opened across the run. */
  readonly number: number;
  readonly openedAt: number;
  readonly frames: ClientFrame[];
  challenge: { readonly nonce: string; readonly ts: number; readonly at: number } | undefined;
  connect: { readonly at: number; readonly params: unknown; readonly proof: ProofVerdict } | undefined;
  closed: { readonly at: number; readonly end: SocketEnd; readonly code: number } | undefined;
}

/** The seq gap serve put into the first connection's events, and the client's answer to it. */
export interface SeqGapRecord {
  readonly sentAt: number;
  readonly expected: number;
  readonly received: number;
  refetch: { readonly at: number; readonly method: string } | undefined;
  /** Requests that came after the gap but do not read state. */
  readonly otherRequests: string[];
}

/** Everything one client did, in order. */
export interface ClientRecord {
  /** 1-based. */
  readonly number: number;
  readonly sockets: SocketRecord[];
  /** The script's 1012 closes, in order. */
  readonly forcedCloses: { readonly at: number; readonly socket: number }[];
  gap: SeqGapRecord | undefined;
  /** Device tokens serve issued to this client in hello-ok; the client may send them back. */
  readonly issuedTokens: Set<string>;
  /** Why the script ended before its last step, when it did. */
  stoppedBecause: string | undefined;
  /** The client went through the whole script. */
  completed: boolean;
}

export const newClientRecord = (number: number): ClientRecord => ({
  number,
  sockets: [],
  forcedCloses: [],
  gap: undefined,
  issuedTokens: new Set(),
  stoppedBecause: undefined,
  completed: false,
});

export const newSocketRecord = (number: number, openedAt: number): SocketRecord => ({
  number,
  openedAt,
  frames: [],
  challenge: undefined,
  connect: undefined,
  closed: undefined,
});

/** Parse one received frame; nothing in it is trusted. */
export function clientFrame(raw: string, binary: boolean, at: number, beforeChallenge: boolean): ClientFrame {
  let frame: WireFrame | undefined;
  if (!binary) {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) frame = value as WireFrame;
    } catch {
      frame = undefined;
    }
  }
  return { at, raw, binary, frame, beforeChallenge };
}

/** A frame named by its kind, never by its content (a connect carries the credential). */
export function describeFrame(frame: ClientFrame): string {
  if (frame.binary) return "a binary frame";
  if (!frame.frame) return "a text frame that is not a JSON object";
  const { type, method } = frame.frame;
  if (type === "req" && typeof method === "string") return `req ${JSON.stringify(method)}`;
  return `a ${JSON.stringify(type ?? null)} frame`;
}

export const isConnectRequest = (frame: ClientFrame | undefined): boolean => frame?.frame?.type === "req" && frame.frame.method === "connect";
