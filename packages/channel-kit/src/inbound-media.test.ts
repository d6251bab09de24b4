import { describe, expect, it } from "vitest";
import { inboundMediaFact } from "./inbound-media.js";

describe("inboundMediaFact", () => {
  it("keeps every field the provider gave", () => {
    expect(inboundMediaFact({ url: "https://x/a.png", path: "/a.png", contentType: "image/png", sizeBytes: 0, fileName: "a.png" })).toEqual({
      url: "https://x/a.png",
      path: "/a.png",
      contentType: "image/png",
      sizeBytes: 0,
      fileName: "a.png",
    });
  });

  it("leaves out missing, null and empty fields instead of carrying them as undefined", () => {
    const fact = inboundMediaFact({ url: null, contentType: "", sizeBytes: null, fileName: undefined });
    expect(fact).toEqual({});
    expect(Object.keys(fact)).toEqual([]);
  });
});
