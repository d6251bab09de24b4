import { afterEach, describe, expect, it } from "vitest";
import { MediaTooLargeError, type ChannelStartContext, type InboundMessage } from "@openclaw/channel-kit";
import { startSignalFake, waitFor, type SignalFake } from "@openclaw/testing";
import { SignalAdapter } from "../src/index.js";

/** Inbound attachments, stickers and contact cards from the fake signal-cli daemon, and their downloads. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SENDER = "+15550002222";
const GROUP = "Z3JvdXA=";

async function setup() {
  const fake = await startSignalFake();
  cleanups.push(() => fake.close());
  const delivered: InboundMessage[] = [];
  const adapter = new SignalAdapter({ accountId: "default", account: fake.account, transport: { url: fake.url }, reconnect: { initialMs: 100, maxMs: 300 } });
  cleanups.push(() => adapter.stop());
  const context: ChannelStartContext = {
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
  };
  await adapter.start(context);
  return { fake, adapter, delivered };
}

async function receive(fake: SignalFake, delivered: InboundMessage[], input: Omit<Parameters<SignalFake["message"]>[0], "from">) {
  const { timestamp } = fake.message({ from: SENDER, ...input });
  await waitFor("the message delivered", () => delivered.some((message) => message.providerMessageId === String(timestamp)));
  return delivered.find((message) => message.providerMessageId === String(timestamp))!;
}

const bytes = (length: number, seed = 5) => Uint8Array.from({ length }, (_, index) => (index * seed + 1) % 253);
const WEBP = Uint8Array.from([...Buffer.from("RIFF"), 8, 0, 0, 0, ...Buffer.from("WEBPVP8 ")]);

describe("Signal attachments as media facts", () => {
  it("maps files with type, size, name and dimensions; a sticker; shared contacts with name and numbers", async () => {
    const { fake, delivered } = await setup();
    const message = await receive(fake, delivered, {
      text: "",
      attachments: [
        { data: bytes(300), contentType: "image/jpeg", filename: "cat.jpg", width: 800, height: 600 },
        { data: bytes(40), contentType: "audio/aac" },
        { data: bytes(50), contentType: "application/pdf", filename: "invoice.pdf" },
      ],
    });
    expect(message.text).toBe("");
    expect(message.media).toEqual([
      {
        url: expect.stringMatching(/^signal-attachment:fakeAttachment\d+\.jpeg\?recipient=%2B15550002222$/),
        contentType: "image/jpeg",
        sizeBytes: 300,
        fileName: "cat.jpg",
        width: 800,
        height: 600,
      },
      { url: expect.stringMatching(/^signal-attachment:/), contentType: "audio/aac", sizeBytes: 40 },
      { url: expect.stringMatching(/^signal-attachment:/), contentType: "application/pdf", sizeBytes: 50, fileName: "invoice.pdf" },
    ]);
    const sticker = await receive(fake, delivered, { text: "", sticker: { packId: "0a1b2c", stickerId: 3, data: WEBP } });
    expect(sticker.media).toEqual([{ kind: "sticker", url: "signal-sticker:0a1b2c/3" }]);
    const contacts = await receive(fake, delivered, {
      text: "",
      contacts: [
        { name: { given: "Ada", family: "Lovelace", nickname: null }, phone: [{ value: "+44 20 7946 0000", type: "MOBILE", label: null }], organization: null },
        { name: { nickname: "Grace" }, organization: null },
        { name: {}, organization: "Acme", phone: [{ value: "+1 555 000 1111", type: "WORK" }] },
      ],
    });
    expect(contacts.media).toEqual([
      { kind: "contact", contact: { name: "Ada Lovelace", phones: ["+44 20 7946 0000"] } },
      { kind: "contact", contact: { name: "Grace" } },
      { kind: "contact", contact: { name: "Acme", phones: ["+1 555 000 1111"] } },
    ]);
  });
});

describe("downloadMedia", () => {
  it("reads a DM attachment with getAttachment by id and sender, a group one by group id", async () => {
    const { fake, adapter, delivered } = await setup();
    const plain = bytes(5_000);
    const dm = await receive(fake, delivered, { text: "see", attachments: [{ data: plain, contentType: "image/png" }] });
    const downloaded = await adapter.downloadMedia(dm.media![0]!, { maxBytes: 10_000 });
    expect(Buffer.from(downloaded.data).equals(Buffer.from(plain))).toBe(true);
    expect(downloaded.contentType).toBe("image/png");
    expect(fake.mediaReads[0]).toEqual({
      method: "getAttachment",
      params: { id: expect.stringMatching(/^fakeAttachment/), recipient: SENDER, account: fake.account },
    });
    const group = await receive(fake, delivered, { text: "", groupId: GROUP, attachments: [{ data: bytes(10), contentType: "text/plain" }] });
    expect((await adapter.downloadMedia(group.media![0]!, { maxBytes: 100 })).data).toEqual(bytes(10));
    expect(fake.mediaReads[1]!.params).toMatchObject({ groupId: GROUP });
    expect(fake.mediaReads[1]!.params).not.toHaveProperty("recipient");
  });

  it("reads a sticker with getSticker and names its type from its bytes", async () => {
    const { fake, adapter, delivered } = await setup();
    const message = await receive(fake, delivered, { text: "", sticker: { packId: "0a1b2c", stickerId: 3, data: WEBP } });
    const downloaded = await adapter.downloadMedia(message.media![0]!, { maxBytes: 1_000 });
    expect(downloaded).toEqual({ data: WEBP, contentType: "image/webp" });
    expect(fake.mediaReads).toEqual([{ method: "getSticker", params: { packId: "0a1b2c", stickerId: 3, account: fake.account } }]);
  });

  it("refuses a file whose reported size is over the cap without asking the daemon for it", async () => {
    const { fake, adapter, delivered } = await setup();
    const message = await receive(fake, delivered, { text: "", attachments: [{ data: bytes(2_000), contentType: "video/mp4" }] });
    const error = await adapter.downloadMedia(message.media![0]!, { maxBytes: 1_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ maxBytes: 1_000, sizeBytes: 2_000 });
    expect(fake.mediaReads).toHaveLength(0);
  });

  it("refuses a file that passes the cap while the answer is read, when the reported size was wrong", async () => {
    const { fake, adapter, delivered } = await setup();
    const message = await receive(fake, delivered, { text: "", attachments: [{ data: bytes(200_000), contentType: "video/mp4", size: 100 }] });
    const error = await adapter.downloadMedia(message.media![0]!, { maxBytes: 20_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MediaTooLargeError);
    expect(error).toMatchObject({ maxBytes: 20_000, sizeBytes: undefined });
    expect(fake.mediaReads).toHaveLength(1);
  });

  it("says what signal-cli said when it no longer has the file", async () => {
    const { fake, adapter } = await setup();
    const error = await adapter
      .downloadMedia({ url: `signal-attachment:gone.jpg?recipient=${encodeURIComponent(SENDER)}` }, { maxBytes: 1_000 })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("signal-cli getAttachment failed: Could not find attachment with ID: gone.jpg");
    expect(fake.mediaReads).toHaveLength(1);
  });
});
