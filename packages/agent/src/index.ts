// @openclaw/agent: the agent runtime and its model providers.

// Runtime
export { AgentRuntime, RESTART_INTERRUPTED, type AgentRuntimeOptions, type Submission, type ToolHost } from "./runtime.js";
export { Run, type RunRequest, type RunEvent, type RunOutcome, type RunStatus, type QueueMode } from "./run.js";

// Transcripts
export type {
  TranscriptStore,
  TranscriptEntry,
  NewTranscriptEntry,
  TranscriptPage,
  SessionRecord,
  SessionOptions,
  SessionOptionsPatch,
  SessionPatch,
  PendingRun,
  UsageRecord,
} from "./transcript.js";
export { mergeSessionOptions } from "./transcript.js";
export { MemoryTranscriptStore } from "./memory-transcript-store.js";
export { compactSession, entriesSinceSummary, type CompactionResult } from "./compaction.js";

// Attachments
export { describeAttachment, MAX_MODEL_IMAGE_BYTES, type LoadMedia } from "./attachments.js";

// Errors
export { ProviderError, RuntimeClosedError, ModelUnavailableError, type ProviderErrorCode, type ProviderErrorOptions } from "./errors.js";

// Providers
export type { ModelInput, ModelInputs } from "./providers/image-input.js";
export type {
  ModelProvider,
  ModelRequest,
  ModelMessage,
  ModelImage,
  ModelStreamEvent,
  ThinkingSupport,
  ToolCall,
  ToolSpec,
  TokenUsage,
} from "./providers/types.js";

// Provider implementations
export { createOpenAiCompatibleProvider, type OpenAiCompatibleOptions } from "./providers/openai-compatible.js";
export { createAnthropicProvider, type AnthropicOptions } from "./providers/anthropic.js";
export { ANTHROPIC_THINKING_BUDGETS } from "./providers/anthropic-thinking.js";
export { THINKING_OFF } from "./providers/thinking.js";
export { createOfflineProvider, type OfflineProviderOptions } from "./providers/offline.js";
export { withRetry, backoffDelay, type RetryOptions, type SleepFunction } from "./providers/retry.js";
export type { FetchFunction } from "./providers/http.js";
