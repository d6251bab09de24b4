import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { GatewayClient } from "@openclaw/client";
import type { ChannelHealthSummary } from "@openclaw/gateway-core";
import type { MethodResult } from "@openclaw/protocol";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { withClient, type ClientFlags } from "../client-session.js";
import { describeTarget } from "../gateway-target.js";
import { SHORT_ID_LENGTH, resolveDeviceRequestId, resolvePairedDeviceId } from "../id-prefix.js";
import { printCommandReview, printJson } from "../output.js";
import { colors, printTable, withSpinner } from "../terminal.js";

const READ = ["operator.read"];
const WRITE = ["operator.read", "operator.write"];
const PAIRING = ["operator.read", "operator.pairing"];

function ago(ms: number | undefined): string {
  if (ms === undefined) return "";
  const seconds = Math.round((Date.now() - ms) / 1000);
  return seconds < 60 ? `${seconds}s ago` : seconds < 3600 ? `${Math.round(seconds / 60)}m ago` : `${Math.round(seconds / 3600)}h ago`;
}

/** `openclaw health` / `openclaw gateway health`. */
export async function healthCommand(io: CommandIo, flags: ClientFlags): Promise<void> {
  const health = await withClient(io, flags, READ, (client) => client.call("health"));
  if (flags.json) return printJson(io, health);
  const c = colors(io);
  io.stdout.write(
    `Gateway Health\n${health.ok === false ? c.red("NOT OK") : c.green("OK")}${typeof health.durationMs === "number" ? ` (${health.durationMs}ms)` : ""}\n`,
  );
  for (const id of health.channelOrder ?? Object.keys(health.channels ?? {}))
    io.stdout.write(`${health.channelLabels?.[id] ?? id}: ${JSON.stringify(health.channels?.[id])}\n`);
  if (health.eventLoop?.degraded) io.stdout.write(c.yellow(`event loop degraded: ${health.eventLoop.reasons.join(", ")}\n`));
  // `ok` is the gateway's liveness; a channel account that is down or stuck (logged out, a dead poller) shows here.
  const { channelHealth } = health as { channelHealth?: ChannelHealthSummary };
  for (const problem of channelHealth?.problems ?? [])
    io.stdout.write(c.red(`channel ${problem.channel}/${problem.accountId} degraded${problem.terminal ? " (needs the operator)" : ""}: ${problem.problem}\n`));
}

/** `openclaw status`: the gateway's status, and how the CLI found it (which URL, which credential, from where). */
export async function statusCommand(io: CommandIo, flags: ClientFlags): Promise<void> {
  const { status, target } = await withClient(io, flags, READ, async (client, target) => ({ status: await client.call("status", {}), target }));
  if (flags.json) return printJson(io, status);
  const extra = status as Record<string, any>;
  io.stdout.write(`${describeTarget(target)}\n`);
  const rows: [string, string][] = [
    ["Version", status.runtimeVersion],
    ["PID", String(status.pid ?? "")],
    ["Auth", String(extra["auth"]?.mode ?? "")],
    ["TLS", extra["tls"]?.enabled ? `on (${extra["tls"].fingerprint256})` : "off"],
    ["Sessions", String(extra["sessions"]?.count ?? 0)],
    ["Queued system events", String(status.queuedSystemEvents?.length ?? 0)],
    ["Memory (RSS)", `${Math.round(((extra["processMemory"]?.rssBytes as number) ?? 0) / 1048576)} MB`],
  ];
  for (const [key, value] of rows) io.stdout.write(`${key.padEnd(22)} ${value}\n`);
}

/** `openclaw gateway call <method> [--params JSON]`: any method, raw. */
export async function callCommand(io: CommandIo, flags: ClientFlags & { params?: string }, method: string): Promise<void> {
  let params: unknown = {};
  if (flags.params !== undefined) {
    try {
      params = JSON.parse(flags.params);
    } catch (error) {
      throw new CliError(`--params is not valid JSON: ${(error as Error).message}`);
    }
  }
  const result = await withClient(io, flags, ["operator.admin"], (client) => (client.call as (m: string, p: unknown) => Promise<unknown>)(method, params));
  if (!flags.json) io.stdout.write(`Gateway call: ${method}\n`);
  printJson(io, result ?? null);
}

/** `openclaw logs [--limit N] [--follow]`. */
export async function logsCommand(
  io: CommandIo,
  flags: ClientFlags & { limit?: number; maxBytes?: number; follow?: boolean; interval?: number; signal?: AbortSignal },
): Promise<void> {
  await withClient(io, flags, READ, async (client) => {
    let cursor: number | undefined;
    let first = true;
    do {
      const page = await client.call("logs.tail", {
        limit: flags.limit ?? 200,
        maxBytes: flags.maxBytes ?? 250_000,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      if (flags.json) printJson(io, page);
      else {
        if (first) io.stderr.write(`Log file: ${page.file}\n`);
        if (page.reset) io.stderr.write("Log cursor reset (file rotated).\n");
        for (const line of page.lines) io.stdout.write(`${line}\n`);
      }
      first = false;
      cursor = page.cursor;
      if (flags.follow) await new Promise((resolve) => setTimeout(resolve, flags.interval ?? 1000));
    } while (flags.follow && !flags.signal?.aborted);
  });
}

/** `openclaw send --to <target> --message <text> [--channel c]`. */
export async function sendCommand(
  io: CommandIo,
  flags: ClientFlags & { to: string; message?: string; media?: string; channel?: string; account?: string },
): Promise<void> {
  if (flags.message === undefined && flags.media === undefined) throw new CliError("send needs --message, --media or both", 1, { code: "USAGE" });
  const media = flags.media === undefined ? {} : await mediaParams(io, flags.media);
  const result = await withClient(io, flags, WRITE, (client) =>
    client.call("send", {
      to: flags.to,
      ...(flags.message !== undefined ? { message: flags.message } : {}),
      ...media,
      ...(flags.channel ? { channel: flags.channel } : {}),
      ...(flags.account ? { accountId: flags.account } : {}),
      idempotencyKey: randomUUID(),
    }),
  );
  if (flags.json) return printJson(io, result);
  io.stdout.write(`Sent ${result.messageId} via ${result.channel}\n`);
}

/** Largest file `send --media` uploads; the gateway and the channel apply their own, usually smaller, limits. */
const SEND_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;

/** `--media`: an http(s) URL is passed on for the gateway to fetch; a local file is read here and uploaded. */
async function mediaParams(io: CommandIo, media: string): Promise<{ mediaUrl: string } | { buffer: string; filename: string }> {
  if (/^https?:\/\//i.test(media)) return { mediaUrl: media };
  const path = resolve(io.cwd, media);
  let data: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`--media ${media}: not a file`, 1, { code: "USAGE" });
    if (info.size > SEND_UPLOAD_MAX_BYTES)
      throw new CliError(`--media ${media}: ${info.size} bytes, over the ${SEND_UPLOAD_MAX_BYTES / 1024 / 1024} MB upload limit`, 1, { code: "USAGE" });
    data = await readFile(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`--media ${media}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, 1, {
      code: "USAGE",
    });
  }
  return { buffer: data.toString("base64"), filename: basename(path) };
}

/** `openclaw agent -m <text>`: streams the reply as it is written. */
export async function agentCommand(io: CommandIo, flags: ClientFlags & { message: string; sessionKey?: string; agentId?: string }): Promise<void> {
  await withClient(io, flags, WRITE, async (client: GatewayClient) => {
    const run = client.agent({
      message: flags.message,
      ...(flags.sessionKey ? { sessionKey: flags.sessionKey } : {}),
      ...(flags.agentId ? { agentId: flags.agentId } : {}),
    });
    await withSpinner(io, "waiting for the agent", () => run.accepted);
    let streamed = false;
    for await (const event of run) {
      if (flags.json) continue;
      if (event.stream === "assistant") {
        io.stdout.write(String(event.data["delta"] ?? ""));
        streamed = true;
      } else if (event.stream === "tool" && event.data["phase"] === "start") io.stderr.write(`[tool ${String(event.data["name"])}]\n`);
    }
    const result = await run.result;
    if (flags.json) return printJson(io, result);
    if (streamed) io.stdout.write("\n");
    else io.stdout.write(`${result.result?.payloads.map((payload) => payload.text ?? "").join("\n") ?? ""}\n`);
  });
}

/** `openclaw devices list|approve|reject|remove|rotate|revoke`. */
export async function devicesCommand(io: CommandIo, flags: ClientFlags & { role?: string }, action: string, id?: string): Promise<void> {
  const need = (what: string) => {
    if (!id) throw new CliError(`openclaw devices ${action} needs a ${what}`);
    return id;
  };
  /** The commands each waiting node declared, approved together with its device. */
  let nodeCommands = new Map<string, string[]>();
  const result = await withClient(io, flags, PAIRING, async (client) => {
    switch (action) {
      case "list": {
        const listed = await client.call("device.pair.list", {});
        if (listed.pending.some((request) => request.role === "node")) {
          const nodes = await client.call("node.pair.list", {});
          nodeCommands = new Map(nodes.pending.map((request) => [request.nodeId, request.commands ?? []]));
        }
        return listed;
      }
      case "approve":
        return client.call("device.pair.approve", { requestId: await resolveDeviceRequestId(client, need("requestId")) });
      case "reject":
        return client.call("device.pair.reject", { requestId: await resolveDeviceRequestId(client, need("requestId")) });
      case "remove":
        return client.call("device.pair.remove", { deviceId: await resolvePairedDeviceId(client, need("deviceId")) });
      case "rotate":
        return client.call("device.token.rotate", { deviceId: await resolvePairedDeviceId(client, need("deviceId")), role: flags.role ?? "operator" });
      case "revoke":
        return client.call("device.token.revoke", { deviceId: await resolvePairedDeviceId(client, need("deviceId")), role: flags.role ?? "operator" });
      default:
        throw new CliError(`unknown devices action "${action}"; use list, approve, reject, remove, rotate or revoke`);
    }
  });
  if (flags.json) return printJson(io, result);
  if (action === "approve") {
    const { device, nodeCommandReview } = result as MethodResult<"device.pair.approve">;
    io.stdout.write(`approve: ok (${device.displayName ?? device.deviceId.slice(0, 12)} as ${(device.roles ?? []).join(", ")})\n`);
    // A node's declared commands are approved with its device.
    if (nodeCommandReview) printCommandReview(io, nodeCommandReview);
    return;
  }
  if (action !== "list") {
    io.stdout.write(`${action}: ok\n`);
    return;
  }
  const listed = result as {
    pending: { requestId: string; deviceId: string; platform?: string; role?: string; scopes?: string[]; remoteIp?: string; ts: number; isRepair?: boolean }[];
    paired: { deviceId: string; displayName?: string; platform?: string; roles?: string[]; scopes?: string[]; connected?: boolean; approvedAtMs?: number }[];
  };
  io.stdout.write("Pending\n");
  printTable(
    io,
    ["requestId", "device", "platform", "role", "scopes", "node commands", "from", "age"],
    listed.pending.map((r) => [
      r.requestId,
      r.deviceId.slice(0, SHORT_ID_LENGTH),
      r.platform,
      `${r.role ?? ""}${r.isRepair ? " (repair)" : ""}`,
      (r.scopes ?? []).join(","),
      (nodeCommands.get(r.deviceId) ?? []).join(", "),
      r.remoteIp,
      ago(r.ts),
    ]),
  );
  io.stdout.write("Paired\n");
  printTable(
    io,
    ["device", "name", "platform", "roles", "scopes", "connected", "approved"],
    listed.paired.map((d) => [
      d.deviceId.slice(0, SHORT_ID_LENGTH),
      d.displayName,
      d.platform,
      (d.roles ?? []).join(","),
      (d.scopes ?? []).join(","),
      d.connected ? "yes" : "no",
      ago(d.approvedAtMs),
    ]),
  );
}
