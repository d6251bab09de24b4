export type { ContractFake, ContractHarness, FakeSendAttempt, FakeSendFailure, FakeSentMessage } from "./harness.js";
