/** Commands each platform may run without extra config (the protocol's per-platform defaults). */
const PLATFORM_DEFAULTS: Readonly<Record<string, readonly string[]>> = {
  ios: [
    "camera.list",
    "location.get",
    "device.info",
    "device.status",
    "contacts.search",
    "calendar.events",
    "reminders.list",
    "photos.latest",
    "motion.activity",
    "motion.pedometer",
    "system.notify",
  ],
  watchos: ["device.info", "device.status", "system.notify"],
  android: [
    "camera.list",
    "location.get",
    "notifications.list",
    "notifications.actions",
    "system.notify",
    "device.info",
    "device.status",
    "device.permissions",
    "device.health",
    "device.apps",
    "contacts.search",
    "calendar.events",
    "callLog.search",
    "reminders.list",
    "photos.latest",
    "motion.activity",
    "motion.pedometer",
    "mobile.ui.observe",
    "mobile.ui.act",
  ],
  macos: [
    "camera.list",
    "camera.ptz.status",
    "location.get",
    "device.info",
    "device.status",
    "device.apps",
    "contacts.search",
    "calendar.events",
    "reminders.list",
    "photos.latest",
    "motion.activity",
    "motion.pedometer",
    "system.notify",
    "computer.act",
    "canvas.present",
    "canvas.hide",
    "canvas.navigate",
  ],
  windows: ["camera.list", "location.get", "device.info", "device.status", "system.notify", "computer.act"],
  linux: ["system.notify", "computer.act"],
  unknown: ["system.notify"],
};

/** Commands that exist only once the node's declared surface is approved. */
export const APPROVAL_GATED_COMMANDS = [
  "system.run",
  "system.run.prepare",
  "system.which",
  "browser.proxy",
  "browser.proxy.upload.v1",
  "mcp.tools.call.v1",
  "screen.snapshot",
] as const;

/** Approving a surface with any of these needs operator.admin. */
export const ADMIN_SURFACE_COMMANDS = [
  "system.run",
  "system.run.prepare",
  "system.which",
  "browser.proxy",
  "browser.proxy.upload.v1",
  "fs.listDir",
  "system.execApprovals.get",
  "system.execApprovals.set",
];

const TALK_COMMANDS = ["talk.ptt.start", "talk.ptt.stop", "talk.ptt.cancel", "talk.ptt.once"];

/** Map a node's reported platform to a policy family by its prefix, or its device family. */
export function platformFamily(platform: string | undefined, deviceFamily?: string): string {
  const probe = `${platform ?? ""} ${deviceFamily ?? ""}`.trim().toLowerCase();
  if (probe.startsWith("watch")) return "watchos";
  if (probe.startsWith("ios") || probe.includes("iphone") || probe.includes("ipad")) return "ios";
  if (probe.startsWith("android")) return "android";
  if (probe.startsWith("mac") || probe.startsWith("darwin")) return "macos";
  if (probe.startsWith("win")) return "windows";
  if (probe.startsWith("linux")) return "linux";
  return "unknown";
}

export interface CommandPolicyInput {
  readonly declared: readonly string[];
  readonly caps: readonly string[];
  readonly platform: string | undefined;
  readonly deviceFamily?: string | undefined;
  /** The approved pairing surface; undefined while not approved. */
  readonly approved: readonly string[] | undefined;
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

export type CommandDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: "not-declared" | "not-approved" | "denied" | "not-allowlisted" };

/**
 * Whether a node may run a command: it must be declared and its surface approved, and be
 * in platform defaults ∪ approved gated commands ∪ allow, minus deny (deny always wins).
 */
export function decideCommand(input: CommandPolicyInput, command: string): CommandDecision {
  if (!input.declared.includes(command)) return { allowed: false, reason: "not-declared" };
  if (input.approved === undefined) return { allowed: false, reason: "not-approved" };
  if (input.deny.includes(command)) return { allowed: false, reason: "denied" };
  const defaults = PLATFORM_DEFAULTS[platformFamily(input.platform, input.deviceFamily)] ?? [];
  const talk = input.caps.some((cap) => cap === "talk" || cap.startsWith("talk.")) ? TALK_COMMANDS : [];
  // Approval opens the approval-gated desktop commands; camera.snap, screen.record and
  // custom commands still need an explicit gateway.nodes.commands.allow.
  const gated = input.approved.filter((name) => (APPROVAL_GATED_COMMANDS as readonly string[]).includes(name));
  if ([...defaults, ...talk, ...gated, ...input.allow].includes(command)) return { allowed: true };
  return { allowed: false, reason: "not-allowlisted" };
}

/** The commands a node may run right now. */
export function invocableCommands(input: CommandPolicyInput): string[] {
  return input.declared.filter((command) => decideCommand(input, command).allowed);
}
