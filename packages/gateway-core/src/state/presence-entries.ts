import { hostname, networkInterfaces, platform, release } from "node:os";
import type { PresenceEntry } from "@openclaw/protocol";
import type { Connection } from "../transport/connection.js";

/** CLIs, probes and backend helpers come and go per command; they are not shown as present. */
export function tracksPresence(connection: Connection): boolean {
  const mode = connection.admission?.params.client.mode;
  return mode !== "cli" && mode !== "probe" && mode !== "backend";
}

/** One presence row per device (or client instance), however many sockets it has open. */
export function presenceKey(connection: Connection): string {
  const admission = connection.admission!;
  return admission.deviceId ?? admission.params.client.instanceId ?? connection.id;
}

/** The presence row of a handshaken connection. */
export function clientPresence(connection: Connection, now: number): PresenceEntry {
  const admission = connection.admission!;
  const client = admission.params.client;
  return {
    host: client.displayName ?? client.id,
    ip: connection.remoteAddress,
    version: client.version,
    platform: client.platform,
    ...(client.deviceFamily ? { deviceFamily: client.deviceFamily } : {}),
    ...(client.modelIdentifier ? { modelIdentifier: client.modelIdentifier } : {}),
    mode: client.mode,
    clientId: client.id,
    reason: "connect",
    ts: now,
    onlineSince: now,
    roles: [admission.role],
    scopes: [...admission.scopes],
    ...(admission.deviceId ? { deviceId: admission.deviceId } : {}),
    ...(client.instanceId ? { instanceId: client.instanceId } : {}),
    text: `${admission.role === "node" ? "Node" : "Client"}: ${client.displayName ?? client.id} · mode ${client.mode}`,
  };
}

/** The gateway's own presence row. */
export function selfPresence(version: string, bootId: string, now: number): PresenceEntry {
  const ip = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;
  const host = hostname();
  return {
    host,
    ...(ip ? { ip } : {}),
    version,
    platform: `${platform()} ${release()}`,
    deviceFamily: platform() === "darwin" ? "Mac" : platform() === "win32" ? "Windows" : "Linux",
    mode: "gateway",
    reason: "self",
    instanceId: bootId,
    text: `Gateway: ${host}${ip ? ` (${ip})` : ""} · app ${version} · mode gateway · reason self`,
    ts: now,
  };
}
