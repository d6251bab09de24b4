import { DEFAULT_AGENT, type AgentBridge } from "../agent/agent-bridge.js";
import { thinkingFields } from "../agent/session-info.js";
import type { MethodHandlers } from "./types.js";

/** `agents.list`, `agent.identity.get` and `models.list`: the agent this gateway runs and the models it can use. */
export function createModelHandlers(bridge: AgentBridge): MethodHandlers {
  return {
    "agents.list": () => {
      const support = bridge.settings.thinking(undefined, DEFAULT_AGENT);
      return {
        defaultId: DEFAULT_AGENT,
        mainKey: "main",
        scope: "per-sender",
        agents: [{ id: DEFAULT_AGENT, name: DEFAULT_AGENT, model: { primary: `${support.provider}/${support.model}` }, ...thinkingFields(support) }],
      };
    },

    "agent.identity.get": (params) => ({ agentId: params.agentId ?? DEFAULT_AGENT, name: "OpenClaw" }),

    "models.list": async () => ({ models: await bridge.listModels() }),
  };
}
