import { expect } from "vitest";
import { findMethod, serverValueProblems, type MethodName } from "@openclaw/protocol";
import type { RawClient } from "./harness.js";

/** Calls `method`, expects it to succeed, and checks its answer against the method's result schema in the protocol registry. */
export async function checkedCall(client: RawClient, method: MethodName, params: unknown): Promise<any> {
  const frame = await client.call(method, params);
  expect(frame.error, `${method} failed`).toBeUndefined();
  expect(serverValueProblems(findMethod(method)!.result, frame.payload), `${method} result`).toEqual([]);
  return frame.payload;
}
