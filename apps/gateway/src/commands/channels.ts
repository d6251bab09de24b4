import type { GatewayClient } from "@openclaw/client";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { withClient, type ClientFlags } from "../client-session.js";
import { printJson } from "../output.js";
import { colors, printTable } from "../terminal.js";

const READ = ["operator.read"];
const ADMIN = ["operator.read", "operator.admin"];
const PAIRING = ["operator.read", "operator.pairing"];

type Call = (method: string, params: unknown) => Promise<any>;
/** `client.call` without the per-method typing, for methods whose results these commands only print. */
const call =
  (client: GatewayClient): Call =>
  (method, params) =>
    (client.call as unknown as Call).call(client, method, params);

function when(ms: unknown): string {
  if (typeof ms !== "number") return "";
  const seconds = Math.round((Date.now() - ms) / 1000);
  if (seconds < 0) return `in ${Math.round(-seconds / 60)}m`;
  return seconds < 60 ? `${seconds}s ago` : seconds < 3600 ? `${Math.round(seconds / 60)}m ago` : `${Math.round(seconds / 3600)}h ago`;
}

/** `openclaw channels status [--channel id]`. */
export async function channelsStatusCommand(io: CommandIo, flags: ClientFlags & { channel?: string }): Promise<void> {
  const status = await withClient(io, flags, READ, (client) => call(client)("channels.status", flags.channel ? { channel: flags.channel } : {}));
  if (flags.json) return printJson(io, status);
  const c = colors(io);
  const rows: (string | number | undefined)[][] = [];
  const notes: string[] = [];
  for (const id of status.channelOrder ?? Object.keys(status.channels)) {
    for (const account of status.channels[id]?.accounts ?? []) {
      const state = String(account.state);
      const terminal = account.health?.terminal === true || state === "failed" || account.relinkNeeded === true;
      const shown = account.connected ? c.green(state) : terminal ? c.red(state) : c.yellow(state);
      rows.push([
        id,
        account.accountId,
        shown,
        account.reconnectAttempts ?? "",
        when(account.lastInboundAt),
        when(account.lastOutboundAt),
        account.lastError ?? "",
      ]);
      // A terminal account needs the operator; say what to do, not just that it failed.
      if (terminal && typeof account.health?.problem === "string") notes.push(c.red(`${id}/${account.accountId} needs attention: ${account.health.problem}`));
      else if (account.connected && account.health?.inbound === "closed")
        notes.push(c.yellow(`${id}/${account.accountId} is connected but admits no inbound message: ${account.health.inboundReason ?? "closed"}`));
      for (const warning of account.warnings ?? []) notes.push(c.yellow(`${id}/${account.accountId} warning: ${warning}`));
    }
  }
  if (rows.length === 0) {
    io.stdout.write('No channels configured. Add one under "channels" in the gateway config (for example channels.telegram.botToken).\n');
    return;
  }
  printTable(io, ["channel", "account", "state", "reconnects", "last in", "last out", "last error"], rows);
  for (const note of notes) io.stdout.write(`${note}\n`);
}

/** `openclaw channels start|stop|logout <channel> [--account id]`. */
export async function channelsLifecycleCommand(
  io: CommandIo,
  flags: ClientFlags & { account?: string },
  action: "start" | "stop" | "logout",
  channel: string,
): Promise<void> {
  const result = await withClient(io, flags, ADMIN, (client) =>
    call(client)(`channels.${action}`, { channel, ...(flags.account ? { accountId: flags.account } : {}) }),
  );
  if (flags.json) return printJson(io, result);
  const target = `${channel}${flags.account ? ` account ${flags.account}` : ""}`;
  if (action === "start" && result.ok === false) throw new CliError(`${target} did not start; see openclaw channels status for the error`);
  io.stdout.write(`${action === "start" ? "Started" : action === "stop" ? "Stopped" : "Logged out"} ${target}\n`);
}

/**
 * `openclaw channels pairing list [channel]`, `… approve [channel] <code>`, `… dismiss [channel] <code>`.
 * The channel may be left out when the code is unambiguous.
 */
export async function channelsPairingCommand(
  io: CommandIo,
  flags: ClientFlags & { account?: string },
  action: string,
  first?: string,
  second?: string,
): Promise<void> {
  if (action === "list") {
    const listed = await withClient(io, flags, PAIRING, (client) => call(client)("channels.pairing.list", first ? { channel: first } : {}));
    if (flags.json) return printJson(io, listed);
    if (listed.requests.length === 0) {
      io.stdout.write("No pending pairing requests.\n");
      return;
    }
    printTable(
      io,
      ["code", "channel", "account", "sender", "name", "asked", "approve with"],
      listed.requests.map((request: Record<string, any>) => [
        request.code,
        request.channel,
        request.accountId,
        request.senderId,
        request.senderName,
        when(request.createdAtMs),
        `openclaw channels pairing approve ${request.channel} ${request.code}`,
      ]),
    );
    return;
  }
  if (action !== "approve" && action !== "dismiss") throw new CliError(`unknown pairing action "${action}"; use list, approve or dismiss`);
  const [channelArg, code] = second === undefined ? [undefined, first] : [first, second];
  if (!code) throw new CliError(`openclaw channels pairing ${action} needs a code, e.g. openclaw channels pairing ${action} telegram ABCD2345`);
  const result = await withClient(io, flags, PAIRING, async (client) => {
    let channel = channelArg;
    if (channel === undefined) {
      const listed = await call(client)("channels.pairing.list", {});
      const matches = (listed.requests as { channel: string; code: string }[]).filter((request) => request.code === code.toUpperCase().replace(/[\s-]/g, ""));
      const channels = [...new Set(matches.map((request) => request.channel))];
      if (channels.length === 0) throw new CliError(`no pending pairing request with code ${code}; list them with: openclaw channels pairing list`);
      if (channels.length > 1)
        throw new CliError(`code ${code} is pending on ${channels.join(" and ")}; name the channel: openclaw channels pairing ${action} <channel> ${code}`);
      channel = channels[0]!;
    }
    return call(client)(`channels.pairing.${action}`, { channel, code, ...(flags.account ? { accountId: flags.account } : {}) });
  });
  if (flags.json) return printJson(io, result);
  io.stdout.write(
    action === "approve"
      ? `Approved ${result.senderId ?? "the sender"} on ${result.channel}${result.accountId ? ` (account ${result.accountId})` : ""} for direct messages.\n`
      : `Dismissed the request on ${result.channel}.\n`,
  );
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `openclaw channels outbox list [--status s] [--channel c]`, `… retry <id>`, `… prune [--older-than 1d] [--include-sent]`. */
export async function channelsOutboxCommand(
  io: CommandIo,
  flags: ClientFlags & { status?: string; channel?: string; limit?: number; olderThan?: string; includeSent?: boolean },
  action: string,
  id?: string,
): Promise<void> {
  const result = await withClient(io, flags, ADMIN, async (client) => {
    switch (action) {
      case "list":
        return call(client)("channels.outbox.list", {
          ...(flags.status ? { status: flags.status } : {}),
          ...(flags.channel ? { channel: flags.channel } : {}),
          ...(flags.limit ? { limit: flags.limit } : {}),
        });
      case "retry": {
        if (!id || !/^\d+$/.test(id))
          throw new CliError("openclaw channels outbox retry needs the numeric id of a dead letter (see openclaw channels outbox list --status dead)");
        return call(client)("channels.outbox.retry", { id: Number(id) });
      }
      case "prune": {
        let olderThanMs: number | undefined;
        if (flags.olderThan !== undefined) {
          const match = DURATION.exec(flags.olderThan);
          if (!match) throw new CliError(`--older-than expects a duration like 30m, 12h or 7d, got "${flags.olderThan}"`);
          olderThanMs = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
        }
        return call(client)("channels.outbox.prune", {
          ...(olderThanMs !== undefined ? { olderThanMs } : {}),
          ...(flags.includeSent ? { includeSent: true } : {}),
        });
      }
      default:
        throw new CliError(`unknown outbox action "${action}"; use list, retry or prune`);
    }
  });
  if (flags.json) return printJson(io, result);
  if (action === "retry") {
    io.stdout.write(`Queued outbox message ${result.entry.id} again.\n`);
    return;
  }
  if (action === "prune") {
    io.stdout.write(`Removed ${result.removed} outbox ${result.removed === 1 ? "entry" : "entries"}.\n`);
    return;
  }
  if (result.entries.length === 0) {
    io.stdout.write("The outbox is empty.\n");
    return;
  }
  printTable(
    io,
    ["id", "channel", "account", "chat", "status", "attempts", "created", "reason / error", "text"],
    result.entries.map((entry: Record<string, any>) => [
      entry.id,
      entry.channel,
      entry.accountId,
      entry.chatId,
      entry.status,
      entry.attempts,
      when(entry.createdAtMs),
      entry.deadReason ?? entry.lastError ?? "",
      entry.preview,
    ]),
  );
}

/**
 * `openclaw channels login --channel whatsapp [--account id] [--phone +1555…]`: links an account
 * through the gateway (which owns the session). Prints the QR and redraws it when WhatsApp rotates
 * it, or prints a pairing code for the phone number, until the account is connected.
 */
export async function channelsLoginCommand(
  io: CommandIo,
  flags: ClientFlags & { channel: string; account?: string; phone?: string; waitMs?: number; signal?: AbortSignal },
): Promise<void> {
  await withClient(io, flags, ADMIN, async (client) => {
    const params = { channel: flags.channel, ...(flags.account ? { accountId: flags.account } : {}), ...(flags.phone ? { phoneNumber: flags.phone } : {}) };
    let result = await call(client)("channels.login", params);
    if (flags.json) return printJson(io, result);
    if (result.pairingCode) io.stdout.write(`On the phone: WhatsApp > Linked devices > Link with phone number, and enter ${result.pairingCode}\n`);
    let shownQr: string | undefined;
    const deadline = Date.now() + (flags.waitMs ?? 180_000);
    for (;;) {
      if (result.state === "connected" || result.linked === true) {
        io.stdout.write(`Linked: ${flags.channel} account ${result.accountId} is connected.\n`);
        return;
      }
      if (result.relinkNeeded === true || result.state === "failed")
        throw new CliError(`${flags.channel} account ${result.accountId} could not link: ${result.lastError ?? result.state}`);
      if (result.qr && result.qr !== shownQr && !result.pairingCode) {
        const refreshed = shownQr !== undefined;
        shownQr = result.qr;
        const { renderQr } = await import("@openclaw/channel-whatsapp");
        io.stdout.write(`Scan with WhatsApp > Linked devices > Link a device${refreshed ? " (new code)" : ""}:\n${await renderQr(result.qr)}\n`);
      }
      if (Date.now() > deadline || flags.signal?.aborted) throw new CliError("timed out waiting for the phone to link; run the command again for a fresh code");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const status = await call(client)("channels.status", { channel: flags.channel });
      const account = (status.channels[flags.channel]?.accounts ?? []).find((entry: { accountId: string }) => entry.accountId === result.accountId);
      result = { ...result, ...account, linked: account?.linked === true && account?.connected === true };
    }
  });
}
