import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MediaTooLargeError, type InboundMessage } from "@openclaw/channel-kit";
import { imsgAttachment, startImessageFake, waitFor } from "@openclaw/testing";
import { ImessageAdapter, imessageOptions } from "../src/index.js";

/**
 * Runs once just before the adapter's next `open()` of a file: the moment a swap would race the path
 * check. What it returns runs once the file is open (a swap put back before the path is checked again).
 */
const beforeOpen = vi.hoisted(() => ({ once: undefined as (() => (() => void) | void) | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  const open = (async (...args: Parameters<typeof real.open>) => {
    const swap = beforeOpen.once;
    beforeOpen.once = undefined;
    const putBack = swap?.();
    const handle = await real.open(...args);
    putBack?.();
    return handle;
  }) as typeof real.open;
  return { ...real, default: { ...real, open }, open };
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8]);

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A running adapter on the fake imsg, reading attachments under `<root>` (a folder the test writes "the Mac's" files in). */
async function setup(options: { mediaMaxBytes?: number } = {}) {
  const fake = await startImessageFake();
  cleanups.push(() => fake.close());
  const root = tempDir("openclaw-imsg-attachments-");
  const state = tempDir("openclaw-imsg-state-");
  const delivered: InboundMessage[] = [];
  const adapter = new ImessageAdapter({
    accountId: "default",
    cliPath: fake.cliPath,
    stateFile: join(state, "imessage", "default.json"),
    includeAttachments: true,
    attachmentRoots: [root],
    reconnect: { initialMs: 100, maxMs: 300 },
    ...options,
  });
  cleanups.push(() => adapter.stop());
  await adapter.start({
    accountId: "default",
    deliver: async (message) => void delivered.push(message),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
  });
  const file = (relative: string, bytes: Uint8Array) => {
    const path = join(root, relative);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  /** The media fact of a message carrying `attachment`, as the adapter delivered it. */
  const factOf = async (attachment: ReturnType<typeof imsgAttachment>) => {
    fake.message({ chatId: 3, sender: "+15550000003", text: "", attachments: [attachment] });
    const message = await waitFor("the message", () => delivered.at(-1));
    delivered.length = 0;
    return message.media![0]!;
  };
  return { fake, adapter, root, state, file, factOf };
}

describe("iMessage attachments in", () => {
  it("reads a photo under the attachment roots: imsg's type, name and size in the fact, its bytes from disk", async () => {
    const { adapter, file, factOf } = await setup();
    const path = file("ab/01/GUID-1/IMG_0001.jpeg", JPEG);
    const fact = await factOf(imsgAttachment(path, { mimeType: "image/jpeg" }));
    expect(fact).toEqual({ path, contentType: "image/jpeg", sizeBytes: JPEG.byteLength, fileName: "IMG_0001.jpeg" });
    const downloaded = await adapter.downloadMedia(fact, { maxBytes: 1024 });
    expect([...downloaded.data]).toEqual([...JPEG]);
    expect(downloaded.contentType).toBe("image/jpeg");
  });

  it("prefers imsg's converted copy: a CAF voice memo arrives as m4a audio/mp4, named .m4a", async () => {
    const { adapter, file, factOf } = await setup();
    const caf = file("cd/02/GUID-2/Audio Message.caf", Uint8Array.from([0x63, 0x61, 0x66, 0x66, 9, 9]));
    const m4a = file("converted/Audio-Message-0123456789abcdef.m4a", Uint8Array.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]));
    const fact = await factOf(imsgAttachment(caf, { mimeType: "audio/x-caf", converted: { path: m4a, mimeType: "audio/mp4" } }));
    expect(fact).toEqual({ path: m4a, contentType: "audio/mp4", fileName: "Audio Message.m4a" });
    const downloaded = await adapter.downloadMedia(fact, { maxBytes: 1024 });
    expect([...downloaded.data]).toEqual([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]);
  });

  it("a voice memo imsg could not convert stays audio/x-caf, and a file without a type gets one from its extension", async () => {
    const { file, factOf } = await setup();
    const caf = file("ef/03/GUID-3/Audio Message.caf", Uint8Array.from([1, 2, 3]));
    expect(await factOf(imsgAttachment(caf, { mimeType: "audio/x-caf" }))).toMatchObject({ contentType: "audio/x-caf", fileName: "Audio Message.caf" });
    expect(await factOf(imsgAttachment(caf, { mimeType: "" }))).toMatchObject({ contentType: "audio/x-caf" });
  });

  it("refuses a file outside the roots, a symlink leading out and a `..` path, naming attachmentRoots", async () => {
    const { adapter, root } = await setup();
    const outside = tempDir("openclaw-imsg-elsewhere-");
    const secret = join(outside, "secret.txt");
    writeFileSync(secret, "not for the agent");
    const link = join(root, "innocent.jpg");
    symlinkSync(secret, link);
    // Not normalized: the `..` reaches the adapter as imsg would hand it over.
    const dotdot = `${root}/../${outside.split("/").at(-1)!}/secret.txt`;
    for (const path of [secret, link, dotdot]) {
      await expect(adapter.downloadMedia({ path, contentType: "image/jpeg" }, { maxBytes: 1024 })).rejects.toThrow(
        /outside the attachment folders; add its folder to channels\.imessage\.attachmentRoots/,
      );
    }
    await expect(adapter.downloadMedia({ path: link }, { maxBytes: 1024 })).rejects.toThrow(`(really ${secret})`);
  });

  it("reads nothing when a folder or the file becomes a symlink out of the roots between the check and the open, even if put back", async () => {
    const { adapter, root, file } = await setup();
    const outside = tempDir("openclaw-imsg-elsewhere-");
    writeFileSync(join(outside, "photo.jpg"), "not for the agent");
    const photo = file("album/photo.jpg", JPEG);
    expect((await adapter.downloadMedia({ path: photo }, { maxBytes: 1024 })).data).toEqual(JPEG);

    beforeOpen.once = () => {
      renameSync(join(root, "album"), join(root, "album-before"));
      symlinkSync(outside, join(root, "album"));
    };
    await expect(adapter.downloadMedia({ path: photo }, { maxBytes: 1024 })).rejects.toThrow(/outside the attachment folders/);
    rmSync(join(root, "album"));
    renameSync(join(root, "album-before"), join(root, "album"));

    // Swapped only while the file is opened, and put back before the path is checked again.
    beforeOpen.once = () => {
      renameSync(join(root, "album"), join(root, "album-before"));
      symlinkSync(outside, join(root, "album"));
      return () => {
        rmSync(join(root, "album"));
        renameSync(join(root, "album-before"), join(root, "album"));
      };
    };
    await expect(adapter.downloadMedia({ path: photo }, { maxBytes: 1024 })).rejects.toThrow(/replaced while being opened/);

    beforeOpen.once = () => {
      rmSync(photo);
      symlinkSync(join(outside, "photo.jpg"), photo);
    };
    await expect(adapter.downloadMedia({ path: photo }, { maxBytes: 1024 })).rejects.toThrow(/replaced by a symlink while being opened/);
    expect(beforeOpen.once).toBeUndefined();
  });

  it("a `*` in a root matches exactly one path segment", async () => {
    const base = tempDir("openclaw-imsg-users-");
    const adapter = new ImessageAdapter({
      accountId: "default",
      cliPath: "imsg",
      stateFile: join(base, "state.json"),
      attachmentRoots: [`${base}/*/Attachments`],
    });
    const write = (relative: string) => {
      const path = join(base, relative);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, JPEG);
      return path;
    };
    const allowed = await adapter.downloadMedia({ path: write("alice/Attachments/ab/a.jpg") }, { maxBytes: 1024 });
    expect([...allowed.data]).toEqual([...JPEG]);
    await expect(adapter.downloadMedia({ path: write("alice/bob/Attachments/a.jpg") }, { maxBytes: 1024 })).rejects.toThrow(/outside the attachment folders/);
    await expect(adapter.downloadMedia({ path: write("Attachments/a.jpg") }, { maxBytes: 1024 })).rejects.toThrow(/outside the attachment folders/);
  });

  it("refuses an over-cap file by imsg's declared size without opening it, and by its real size when imsg declared less", async () => {
    const { adapter, root, file } = await setup();
    const big = file("gh/04/GUID-4/big.pdf", new Uint8Array(4096));
    const declared = adapter.downloadMedia({ path: join(root, "not-there.pdf"), sizeBytes: 4096 }, { maxBytes: 1024 });
    await expect(declared).rejects.toBeInstanceOf(MediaTooLargeError);
    await expect(declared).rejects.toMatchObject({ sizeBytes: 4096, maxBytes: 1024 });
    const real = adapter.downloadMedia({ path: big, sizeBytes: 10 }, { maxBytes: 1024 });
    await expect(real).rejects.toBeInstanceOf(MediaTooLargeError);
    await expect(real).rejects.toMatchObject({ sizeBytes: 4096 });
  });

  it("a file imsg reports missing arrives unavailable with the reason; one missing here names the remote Mac", async () => {
    const { adapter, root, factOf } = await setup();
    const gone = join(root, "ij/05/GUID-5/photo.jpg");
    expect(await factOf(imsgAttachment(gone, { mimeType: "image/jpeg", transferName: "photo.jpg" }))).toEqual({
      contentType: "image/jpeg",
      sizeBytes: 0,
      fileName: "photo.jpg",
      unavailable: expect.stringContaining("imsg reports the file missing"),
    });
    await expect(adapter.downloadMedia({ path: gone }, { maxBytes: 1024 })).rejects.toThrow(
      /is not on the machine running the gateway .*with an SSH-wrapper cliPath the file stays on that Mac/,
    );
  });
});

describe("iMessage attachments out", () => {
  const media = (source: string, extra: Record<string, unknown> = {}) => ({
    channel: "imessage",
    accountId: "default",
    chatId: "1",
    source,
    idempotencyKey: "file-1",
    ...extra,
  });

  it("sends the file under its own name with the caption as text; imsg gets the path and Messages its bytes", async () => {
    const { fake, adapter, state } = await setup();
    const store = join(state, "media", "3f2a9c");
    mkdirSync(join(store, ".."), { recursive: true });
    writeFileSync(store, JPEG);
    const receipt = await adapter.sendMedia(media(store, { contentType: "image/jpeg", fileName: "beach.jpg", caption: "from today" }));
    const sent = fake.sent.at(-1)!;
    expect(sent).toMatchObject({ chatId: "1", text: "from today", file: expect.stringMatching(/\/beach\.jpg$/) });
    expect(sent.file!.startsWith(join(state, "imessage", "outbound", "default"))).toBe(true);
    expect([...sent.fileBytes!]).toEqual([...JPEG]);
    expect(receipt.providerMessageIds).toEqual([sent.guid]);
    // A nameless file is named for its type, so Messages shows it as one.
    await adapter.sendMedia(media(store, { contentType: "image/jpeg" }));
    expect(fake.sent.at(-1)).toMatchObject({ text: "", file: expect.stringMatching(/\/attachment\.jpg$/) });
  });

  it("an http(s) URL is downloaded first, capped, and sent under its name; staged files older than an hour go at the next send", async () => {
    const { fake, adapter } = await setup({ mediaMaxBytes: 64 });
    const server = createServer((request, response) => {
      const body = request.url === "/big.bin" ? Buffer.alloc(128) : Buffer.from(JPEG);
      response.writeHead(200, { "content-type": "image/jpeg", "content-length": body.byteLength }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await adapter.sendMedia(media(`${base}/pics/sunset.jpg`));
    const first = fake.sent.at(-1)!;
    expect(first.file).toMatch(/\/sunset\.jpg$/);
    expect([...first.fileBytes!]).toEqual([...JPEG]);
    await expect(adapter.sendMedia(media(`${base}/big.bin`))).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringContaining("128 bytes, over the 64-byte limit"),
    });
    const staged = join(first.file!, "..");
    const hoursAgo = (Date.now() - 2 * 60 * 60_000) / 1000;
    utimesSync(staged, hoursAgo, hoursAgo);
    await adapter.sendMedia(media(`${base}/pics/sunset.jpg`));
    expect(existsSync(staged)).toBe(false);
    expect(existsSync(fake.sent.at(-1)!.file!)).toBe(true);
  });

  it("a file Messages cannot open (not on imsg's Mac) fails as permanent, saying the SSH wrapper does not copy it; a busy imsg stays rate_limited", async () => {
    const { fake, adapter, state } = await setup();
    const path = join(state, "photo.png");
    writeFileSync(path, JPEG);
    // The staged copy is gone before imsg reads it, as if imsg ran on a Mac that never had it.
    const release = fake.holdSends();
    const sending = adapter.sendMedia(media(path, { caption: "look" }));
    sending.catch(() => undefined);
    await waitFor("the held send", () => fake.attempts.length === 1);
    rmSync(join(state, "imessage", "outbound", "default"), { recursive: true, force: true });
    release();
    await expect(sending).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringMatching(
        /into type alias.*with an SSH-wrapper cliPath that file must exist on that Mac too \(the gateway does not copy it there\)/,
      ),
    });
    fake.failSends({ status: 429, retryAfterSeconds: 3 });
    await expect(adapter.sendMedia(media(path))).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 3_000 });
  });

  it("refuses a file over mediaMaxBytes before imsg is asked; mediaMaxMb of the account sets it (16 MB by default)", async () => {
    const { fake, adapter, state } = await setup({ mediaMaxBytes: 8 });
    const path = join(state, "big.bin");
    writeFileSync(path, new Uint8Array(64));
    await expect(adapter.sendMedia(media(path))).rejects.toMatchObject({ kind: "permanent", message: expect.stringContaining("over the 8-byte limit") });
    expect(fake.attempts).toHaveLength(0);
    const account = { accountId: "default", env: {}, stateDir: state };
    expect(new ImessageAdapter(imessageOptions({ ...account, config: { mediaMaxMb: 2 } })).mediaMaxBytes).toBe(2 * 1024 * 1024);
    expect(new ImessageAdapter(imessageOptions({ ...account, config: {} })).mediaMaxBytes).toBe(16 * 1024 * 1024);
  });
});
