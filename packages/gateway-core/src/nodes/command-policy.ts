import type { NodeCommandRefusal, NodeCommandReview, NodeCommandWithheld } from "@openclaw/protocol";

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

/**
 * Commands an approval never opens: the protocol wants each in `gateway.nodes.commands.allow`
 * (camera, screen and messaging writes), plus the admin-only node commands that are not
 * approval-gated desktop host commands (file listing, exec-approval policy, terminal upload).
 */
export const EXPLICIT_ALLOW_COMMANDS = [
  "camera.snap",
  "camera.clip",
  "camera.ptz.control",
  "desktop.stream",
  "screen.record",
  "contacts.add",
  "calendar.add",
  "reminders.add",
  "health.summary",
  "sms.send",
  "sms.search",
  "fs.listDir",
  "system.execApprovals.get",
  "system.execApprovals.set",
  "terminal.upload",
] as const;

/** Approving a surface with any of these needs operator.admin (the approval-gated host commands among them open with it). */
export const ADMIN_SURFACE_COMMANDS = [
  "system.run",
  "system.run.prepare",
  "system.which",
  "browser.proxy",
  "browser.proxy.upload.v1",
  "fs.listDir",
  "system.execApprovals.get",
  "system.execApprovals.set",
] as const;

const TALK_COMMANDS = ["talk.ptt.start", "talk.ptt.stop", "talk.ptt.cancel", "talk.ptt.once"];

const listed = (list: readonly string[], command: string) => list.includes(command);

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

/** The scopes an operator needs to approve a surface declaring these commands (beyond operator.pairing). */
export function approvalScopes(commands: readonly string[]): string[] {
  if (commands.length === 0) return [];
  return ["operator.write", ...(commands.some((command) => listed(ADMIN_SURFACE_COMMANDS, command)) ? ["operator.admin"] : [])];
}

/** The gateway's allow and deny lists (`gateway.nodes.commands`). */
export interface NodeCommandLists {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

export interface CommandPolicyInput extends NodeCommandLists {
  readonly declared: readonly string[];
  readonly caps: readonly string[];
  readonly platform: string | undefined;
  readonly deviceFamily?: string | undefined;
  /** The approved pairing surface; undefined while not approved. */
  readonly approved: readonly string[] | undefined;
}

export type CommandDecision =
  { readonly allowed: true; readonly via: "allowlisted" | "platform-default" | "approved" } | { readonly allowed: false; readonly reason: NodeCommandRefusal };

/**
 * Whether a node may run a command. It must be declared, not denied (deny always wins), and
 * its surface approved; then it runs when it is allowlisted, a platform default, or part of
 * the approved surface — except the {@link EXPLICIT_ALLOW_COMMANDS}, which only the allow list opens.
 */
export function decideCommand(input: CommandPolicyInput, command: string): CommandDecision {
  if (!listed(input.declared, command)) return { allowed: false, reason: "not-declared" };
  if (listed(input.deny, command)) return { allowed: false, reason: "denied" };
  if (listed(EXPLICIT_ALLOW_COMMANDS, command) && !listed(input.allow, command)) return { allowed: false, reason: "not-allowlisted" };
  if (input.approved === undefined) return { allowed: false, reason: "not-approved" };
  if (listed(input.allow, command)) return { allowed: true, via: "allowlisted" };
  const defaults = PLATFORM_DEFAULTS[platformFamily(input.platform, input.deviceFamily)] ?? [];
  const talk = input.caps.some((cap) => cap === "talk" || cap.startsWith("talk.")) ? TALK_COMMANDS : [];
  if (listed(defaults, command) || listed(talk, command)) return { allowed: true, via: "platform-default" };
  // Declared after the last approval: the node's wider surface waits in a new pairing request.
  if (listed(input.approved, command)) return { allowed: true, via: "approved" };
  return { allowed: false, reason: "not-approved" };
}

/** The commands a node may run right now. */
export function invocableCommands(input: CommandPolicyInput): string[] {
  return input.declared.filter((command) => decideCommand(input, command).allowed);
}

/** Which declared commands approving the declared surface opens, and which stay refused and why. */
export function reviewSurface(input: Omit<CommandPolicyInput, "approved">, nodeId: string): NodeCommandReview {
  const approvedInput = { ...input, approved: input.declared };
  const review: { approved: string[]; withheld: NodeCommandWithheld[] } = { approved: [], withheld: [] };
  for (const command of input.declared) {
    const decision = decideCommand(approvedInput, command);
    if (decision.allowed) review.approved.push(command);
    else review.withheld.push({ command, reason: decision.reason, remediationHint: remediationHint(decision.reason, command, nodeId, true) });
  }
  return review;
}

/** What lifts a refusal, as the exact command or config key to change. */
export function remediationHint(reason: NodeCommandRefusal, command: string, nodeId: string, approved: boolean): string {
  const approve = `openclaw nodes approve ${nodeId}`;
  switch (reason) {
    case "not-declared":
      return `the node must list ${command} in its commands and reconnect; then approve it with: ${approve}`;
    case "not-approved":
      return `approve it with: ${approve}`;
    case "denied":
      return `remove it from gateway.nodes.commands.deny (config.patch applies it without a restart)`;
    case "not-allowlisted":
      return `add it to gateway.nodes.commands.allow (config.patch applies it without a restart)${approved ? "" : `, and approve the node: ${approve}`}`;
  }
}

/** Why a command was refused, naming the command and the node. */
export function refusalExplanation(reason: NodeCommandRefusal, command: string, nodeLabel: string): string {
  switch (reason) {
    case "not-declared":
      return `${command} is not declared by node ${nodeLabel}`;
    case "not-approved":
      return `${command} is not approved for node ${nodeLabel}`;
    case "denied":
      return `${command} is denied on this gateway by gateway.nodes.commands.deny`;
    case "not-allowlisted":
      return `${command} needs an explicit allow on this gateway (it is not opened by approving node ${nodeLabel})`;
  }
}
