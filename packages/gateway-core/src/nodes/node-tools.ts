import type { ToolHost, ToolSpec } from "@openclaw/agent";
import type { NodeService } from "./node-service.js";

/** Tool names allow letters, digits, `_` and `-`; node commands use dots. */
export function toolNameForCommand(command: string): string {
  return `node_${command.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, 64);
}

/**
 * Offers every connected node's invocable commands to the model, one tool per
 * command; calls go through the same policy as `node.invoke`.
 */
export function nodeToolHost(nodes: NodeService): ToolHost {
  const catalog = () => {
    const byTool = new Map<string, { command: string; nodes: { nodeId: string; displayName: string | undefined }[] }>();
    for (const node of nodes.connectedCommands()) {
      for (const command of node.commands) {
        const name = toolNameForCommand(command);
        const entry = byTool.get(name) ?? { command, nodes: [] };
        entry.nodes.push({ nodeId: node.nodeId, displayName: node.displayName });
        byTool.set(name, entry);
      }
    }
    return byTool;
  };
  return {
    tools: (): ToolSpec[] =>
      [...catalog().entries()].map(([name, entry]) => ({
        name,
        description: `Run "${entry.command}" on a connected device (${entry.nodes.map((node) => node.displayName ?? node.nodeId).join(", ")}).`,
        parameters: {
          type: "object",
          properties: {
            nodeId: { type: "string", enum: entry.nodes.map((node) => node.nodeId), description: "which device; optional when only one offers the command" },
            params: { type: "object", description: `parameters of ${entry.command}` },
          },
          additionalProperties: false,
        },
      })),
    call: async (call, context) => {
      const entry = catalog().get(call.name);
      if (!entry) return { text: `no connected device offers ${call.name}`, isError: true };
      let args: { nodeId?: string; params?: unknown };
      try {
        args = (call.arguments.trim() ? JSON.parse(call.arguments) : {}) as typeof args;
      } catch {
        return { text: "tool arguments are not valid JSON", isError: true };
      }
      const nodeId = args.nodeId ?? (entry.nodes.length === 1 ? entry.nodes[0]!.nodeId : undefined);
      if (!nodeId) return { text: `several devices offer ${entry.command}; pass nodeId (${entry.nodes.map((node) => node.nodeId).join(", ")})`, isError: true };
      try {
        const result = await nodes.invokeForAgent(nodeId, entry.command, args.params, context.signal);
        return { text: result.payloadJSON ?? JSON.stringify(result.payload) };
      } catch (error) {
        return { text: error instanceof Error ? error.message : String(error), isError: true };
      }
    },
  };
}
