/**
 * A fake signal-cli HTTP daemon (`signal-cli -a <account> daemon --http`) on a real HTTP server.
 *
 * Covered (man/signal-cli-jsonrpc.5): `GET /api/v1/check` (200 when up), `GET /api/v1/events`
 * (`signal-fake-events.ts`: Server-Sent Events with ids and replay after `Last-Event-ID`) and
 * `POST /api/v1/rpc` (`signal-fake-rpc.ts`: JSON-RPC 2.0 `send`, `sendTyping`, `sendReaction`,
 * `sendReceipt`, `listAccounts`, `getAttachment`, `getSticker`, with refusals as signal-cli words
 * them). Inbound attachments carry signal-cli's JSON (`contentType`, `filename`, `id`, `size`,
 * `width`, `height`, `caption`, `uploadTimestamp`), stickers `{packId, stickerId}`
 * (`signal-fake-media.ts`), shared contacts `{name: {given, family, …}, phone: [{value, type}]}`.
 * Like signal-cli, a single-account daemon (`-a <account> daemon`, the default here) answers
 * `listAccounts` with -32601 and only runs for a registered account; a multi-account daemon
 * (`multiAccount: true`) lists its registered accounts and answers -32602 "Specified account does
 * not exist" for any other.
 * Controls: push data messages (DM or group), sync copies of our own sends and malformed events,
 * drop the SSE streams, refuse, hold or lose sends, SSE connection counters.
 * `writeSignalCliScript` (`signal-cli-script.ts`) writes a fake `signal-cli` executable that
 * serves this fake on the port it is given.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { signalClock } from "./signal-fake-clock.js";
import { signalEvents } from "./signal-fake-events.js";
import { signalMedia, type SignalFakeAttachment } from "./signal-fake-media.js";
import { signalRpc } from "./signal-fake-rpc.js";

export { writeSignalCliScript } from "./signal-cli-script.js";
export type { SignalFakeAttachment } from "./signal-fake-media.js";
export type { SignalReaction, SignalReceipt, SignalSent, SignalSentAttachment, SignalTyping } from "./signal-fake-rpc.js";

export interface SignalFakeOptions {
  /** Our account number. @default "+15550001111" */
  readonly account?: string;
  /** Listen on this port instead of an ephemeral one (the fake signal-cli uses it). */
  readonly port?: number;
  /** Serve like `signal-cli daemon` without `-a`: several accounts, `listAccounts` answers. @default false */
  readonly multiAccount?: boolean;
  /** Whether `account` is registered with this (multi-account) daemon. @default true */
  readonly registered?: boolean;
}

export async function startSignalFake(options: SignalFakeOptions = {}) {
  const account = options.account ?? "+15550001111";
  let registered = options.registered ?? true;
  const clock = signalClock();
  const events = signalEvents();
  const media = signalMedia(clock);
  const rpc = signalRpc({ account, multiAccount: options.multiAccount ?? false, registered: () => registered, clock, media });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    if (request.method === "GET" && url.pathname === "/api/v1/check") {
      response.writeHead(200).end();
      return;
    }
    if (request.method === "GET" && url.pathname === "/api/v1/events") return events.open(request, response);
    if (request.method === "POST" && url.pathname === "/api/v1/rpc") return rpc.handle(request, response);
    response.writeHead(404).end();
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    account,
    sent: rpc.sent,
    attempts: rpc.attempts,
    typing: rpc.typing,
    reactions: rpc.reactions,
    receipts: rpc.receipts,
    history: events.history,
    mediaReads: media.mediaReads,
    /** Registers or removes `account` on a multi-account daemon (a device unlinked from the phone). */
    setRegistered(value: boolean) {
      registered = value;
    },
    /** A data message from `from` (a DM), or in `groupId`; returns the event id and message timestamp. */
    message(input: {
      from: string;
      text: string;
      groupId?: string;
      timestamp?: number;
      fromSelf?: boolean;
      attachments?: readonly SignalFakeAttachment[];
      sticker?: { packId: string; stickerId: number; data: Uint8Array };
      /** Shared contact cards, as signal-cli writes them. */
      contacts?: readonly Record<string, unknown>[];
    }) {
      const ticked = clock.tick();
      const timestamp = input.timestamp ?? ticked;
      const envelope = input.fromSelf
        ? { source: account, sourceNumber: account, timestamp, syncMessage: { sentMessage: { destination: input.from, timestamp, message: input.text } } }
        : {
            source: input.from,
            sourceNumber: input.from,
            sourceUuid: `uuid-${input.from.replace(/\D/g, "")}`,
            sourceName: "Fake Sender",
            timestamp,
            dataMessage: {
              timestamp,
              message: input.text,
              ...(input.groupId ? { groupInfo: { groupId: input.groupId, type: "DELIVER" } } : {}),
              ...(input.attachments ? { attachments: input.attachments.map((attachment) => media.storeAttachment(attachment)) } : {}),
              ...(input.sticker ? { sticker: media.storeSticker(input.sticker) } : {}),
              ...(input.contacts ? { contacts: input.contacts } : {}),
            },
          };
      const eventId = events.publish(JSON.stringify({ envelope, account }));
      return { eventId, timestamp };
    },
    /** An event the adapter must reject without stopping. */
    malformed(data = "{not json") {
      return events.publish(data);
    },
    /** The same envelope again, as a new event (what a daemon replay looks like). */
    republish(eventId: number) {
      const entry = events.history.find((candidate) => candidate.id === eventId);
      if (!entry) throw new Error(`no event ${eventId}`);
      return events.publish(entry.data);
    },
    /** Refuse the next `count` sends (see `signal-fake-rpc.ts` for how); `http: true` answers with the bare HTTP status. */
    failSends: rpc.failSends,
    /** The next `count` sends get no answer: the connection is cut after the message was sent (`delivered`) or before (`not-delivered`). */
    loseSends: rpc.loseSends,
    holdSends: rpc.holdSends,
    dropStreams: events.dropStreams,
    connectionsOpened: events.connectionsOpened,
    maxConcurrentConnections: events.maxConcurrentConnections,
    openConnections: events.openConnections,
    async close() {
      rpc.releaseHeld();
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SignalFake = Awaited<ReturnType<typeof startSignalFake>>;
