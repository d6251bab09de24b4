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

// Provider implementations
export { createOpenAiCompatibleProvider, type OpenAiCompatibleOptions } from "./providers/openai-compatible.js";
export { createAnthropicProvider, type AnthropicOptions } from "./providers/anthropic.js";
export { createOfflineProvider, type OfflineProviderOptions } from "./providers/offline.js";
export { withRetry, backoffDelay, type RetryOptions, type SleepFunction } from "./providers/retry.js";
export { ProviderError, type ProviderErrorCode, type ProviderErrorOptions } from "./errors.js";
export type { FetchFunction } from "./providers/http.js";
