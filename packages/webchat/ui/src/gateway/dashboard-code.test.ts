import { describe, expect, it } from "vitest";
import { redeemDashboardCode, takeDashboardCode } from "./dashboard-code.js";

describe("takeDashboardCode", () => {
  it("takes the code out of the fragment, keeping the path, the query and other fragment parameters", () => {
    expect(takeDashboardCode("http://127.0.0.1:18789/#code=7K2Q-M2PA")).toEqual({ code: "7K2Q-M2PA", href: "http://127.0.0.1:18789/" });
    expect(takeDashboardCode("http://h/control/chat?tab=1#code=ABCD&view=x")).toEqual({ code: "ABCD", href: "http://h/control/chat?tab=1#view=x" });
  });

  it("never reads a code from the query, which a server would see", () => {
    expect(takeDashboardCode("http://h/?code=ABCD")).toEqual({ code: undefined, href: "http://h/?code=ABCD" });
  });

  it("leaves an address without a code alone, and drops an empty code", () => {
    expect(takeDashboardCode("http://h/chat#section")).toEqual({ code: undefined, href: "http://h/chat#section" });
    expect(takeDashboardCode("http://h/#code=")).toEqual({ code: undefined, href: "http://h/" });
  });
});

/** A stand-in for the gateway's redeem route: records what the page sent, answers as told. */
function fakeGateway(status: number, body: unknown) {
  const sent: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    sent.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return { sent, fetchImpl };
}

describe("redeemDashboardCode", () => {
  it("posts the code as JSON to this origin's redeem path and returns the credential", async () => {
    const gateway = fakeGateway(200, { auth: "password", secret: "s3cret" });
    expect(await redeemDashboardCode("ABCD", gateway.fetchImpl)).toEqual({ ok: true, credential: { kind: "password", secret: "s3cret" } });
    expect(gateway.sent).toHaveLength(1);
    expect(gateway.sent[0]!.url).toBe("/__openclaw__/dashboard/redeem");
    expect(gateway.sent[0]!.init).toMatchObject({ method: "POST", body: '{"code":"ABCD"}', cache: "no-store", credentials: "omit" });
  });

  it("passes the gateway's refusal on in its own words", async () => {
    const gateway = fakeGateway(401, { error: { reason: "used-code", message: "That one-time code was already used." } });
    expect(await redeemDashboardCode("ABCD", gateway.fetchImpl)).toEqual({ ok: false, message: "That one-time code was already used." });
  });

  it("says so when the answer is not the gateway's", async () => {
    const gateway = fakeGateway(502, "bad gateway");
    expect(await redeemDashboardCode("ABCD", gateway.fetchImpl)).toEqual({ ok: false, message: expect.stringContaining("HTTP 502") });
  });
});
