import { describe, expect, it } from "vitest";
import { networkSendFailure, systemErrorCode } from "./errors.js";

const fetchFailure = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });

describe("networkSendFailure", () => {
  it("treats a request that never connected as not sent", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]) {
      expect(networkSendFailure("Fake", fetchFailure(code))).toMatchObject({ kind: "transient", message: "Fake unreachable: fetch failed" });
    }
  });

  it("treats a timeout or a reset as possibly sent", () => {
    expect(networkSendFailure("Fake", fetchFailure("ECONNRESET"))).toMatchObject({ kind: "ambiguous", message: "Fake request failed: fetch failed" });
    expect(networkSendFailure("Fake", new Error("timed out"))).toMatchObject({ kind: "ambiguous" });
  });

  it("takes the code from where the provider's client put it", () => {
    expect(networkSendFailure("Fake", new Error("socket"), "ECONNREFUSED").kind).toBe("transient");
  });
});

describe("systemErrorCode", () => {
  it("reads the code of fetch's cause, else of the error itself", () => {
    expect(systemErrorCode(fetchFailure("ENOTFOUND"))).toBe("ENOTFOUND");
    expect(systemErrorCode(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe("ECONNRESET");
    expect(systemErrorCode("not an error")).toBeUndefined();
  });
});
