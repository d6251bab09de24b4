// @openclaw/testing: fakes of remote services (real HTTP servers on port 0). Private; never published.

// Waiting
export { waitFor } from "./wait-for.js";

// HTTP plumbing
export { startHttpFake, type FakeServer, type RecordedRequest } from "./http-fake.js";

// Tailscale and reverse proxies in front of the gateway
export { createFakeTailscale, type FakeTailscale, type FakeTailscaleBehaviour, type FakeTailscaleCall, type FakeTailnetPeer } from "./tailscale-fake.js";
export { startIdentityProxy, type IdentityProxy, type IdentityProxyOptions } from "./identity-proxy.js";

// Model providers
export { GatedProvider, lastUser, type GatedModelRequest, type GatedPart, type GatedStreamEvent } from "./gated-provider.js";
export { startOpenAiFake, type OpenAiFakeOptions, type OpenAiFakeReasoning, type OpenAiFakeStep } from "./openai-fake.js";
export { startAnthropicFake, type AnthropicFakeOptions, type AnthropicFakeStep } from "./anthropic-fake.js";
export {
  startTranscriptionFake,
  type TranscriptionFake,
  type TranscriptionFakeOptions,
  type TranscriptionFakeStep,
  type TranscriptionUpload,
} from "./transcription-fake.js";

// Channel providers
export * from "./telegram-fake.js";
export * from "./slack-fake.js";
export type { SlackUpload } from "./slack-upload-fake.js";
export * from "./discord-fake.js";
export * from "./signal-fake.js";
export * from "./imessage-fake.js";
export { runFakeImsgProcess } from "./imessage-fake-process.js";
export * from "./whatsapp-fake.js";
export * from "./whatsapp-media-fake.js";
export { startExampleFake, type ExampleEvent, type ExampleFake } from "./example-fake.js";
