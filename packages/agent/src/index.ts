// @openclaw/agent: the agent runtime and its model providers.

// Runtime
export {
  AgentRuntime,
  Run,
  type AgentRuntimeOptions,
  type RunRequest,
  type RunEvent,
  type RunOutcome,
  type RunStatus,
  type QueueMode,
  type Submission,
  type ToolHost,
} from "./runtime.js";

// Transcripts
export { MemoryTranscriptStore, type TranscriptStore, type TranscriptEntry, type NewTranscriptEntry, type SessionRecord } from "./transcript.js";

// Providers
export type { ModelProvider, ModelRequest, ModelMessage, ModelStreamEvent, ToolCall, ToolSpec, TokenUsage } from "./providers/types.js";
