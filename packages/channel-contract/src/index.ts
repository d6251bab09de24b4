export type { ContractFake, ContractHarness, FakeSendAttempt, FakeSendFailure, FakeSentMessage } from "./harness.js";
export { runAdapterContract, waitUntil } from "./suite.js";
