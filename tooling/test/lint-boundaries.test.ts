import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids ESLint reports for `code` as if it were the file at `path` (relative to the repo root). */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe("package boundaries in the lint config", () => {
  it("keeps I/O and other packages out of protocol", async () => {
    expect(await violations("packages/protocol/src/x.ts", 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n')).toEqual([
      expect.stringContaining("protocol has no I/O"),
    ]);
    expect(await violations("packages/protocol/src/x.ts", 'import { Type } from "@sinclair/typebox";\nexport const x = Type.String();\n')).toEqual([]);
    expect(
      await violations(
        "packages/protocol/src/x.ts",
        'import { Value } from "@sinclair/typebox/value";\nimport { y } from "./y.js";\nexport const x = [Value, y];\n',
      ),
    ).toEqual([]);
    // Bare builtins count as I/O too, and any other package is refused, not only a listed few.
    expect(await violations("packages/protocol/src/x.ts", 'import { join } from "path";\nexport const x = join;\n')).toEqual([
      expect.stringContaining("protocol has no I/O"),
    ]);
    expect(await violations("packages/protocol/src/x.ts", 'import { z } from "zod";\nexport const x = z;\n')).toEqual([
      expect.stringContaining("protocol depends on typebox only"),
    ]);
    expect(await violations("packages/protocol/src/x.ts", 'export { Type } from "typebox";\n')).toEqual([
      expect.stringContaining("protocol depends on typebox only"),
    ]);
  });

  it("sees a lazy import() as well as a static one", async () => {
    expect(await violations("packages/gateway-core/src/x.ts", 'export const load = () => import("discord.js");\n')).toEqual([
      expect.stringContaining("never loads a provider library"),
    ]);
    expect(await violations("packages/gateway-core/src/x.ts", 'export const load = () => import("@openclaw/channel-matrix");\n')).toEqual([
      expect.stringContaining("only apps/gateway knows the concrete adapters"),
    ]);
    expect(await violations("packages/protocol/src/x.ts", 'export const load = () => import("node:fs");\n')).toEqual([
      expect.stringContaining("protocol has no I/O"),
    ]);
    // channel-kit is the contract gateway-core builds on, statically or lazily.
    expect(
      await violations(
        "packages/gateway-core/src/x.ts",
        'import type { ChannelAdapter } from "@openclaw/channel-kit";\nexport const load = (): Promise<ChannelAdapter> => import("@openclaw/channel-kit").then(() => ({}) as ChannelAdapter);\n',
      ),
    ).toEqual([]);
  });

  it("keeps adapters off the gateway and the gateway off provider libraries and adapters", async () => {
    expect(
      await violations("packages/channel-telegram/src/x.ts", 'import { GatewayServer } from "@openclaw/gateway-core";\nexport const x = GatewayServer;\n'),
    ).toEqual([expect.stringContaining("never import the gateway")]);
    expect(await violations("packages/gateway-core/src/x.ts", 'import { Bot } from "grammy";\nexport const x = Bot;\n')).toEqual([
      expect.stringContaining("never loads a provider library"),
    ]);
    expect(
      await violations("packages/gateway-core/src/x.ts", 'import { telegramChannel } from "@openclaw/channel-telegram";\nexport const x = telegramChannel;\n'),
    ).toEqual([expect.stringContaining("only apps/gateway knows the concrete adapters")]);
  });

  it("keeps clients on the wire and fakes out of published sources", async () => {
    expect(await violations("packages/client/src/x.ts", 'import { GatewayServer } from "@openclaw/gateway-core";\nexport const x = GatewayServer;\n')).toEqual([
      expect.stringContaining("clients speak only the wire protocol"),
    ]);
    expect(await violations("apps/gateway/src/x.ts", 'import { startTelegramFake } from "@openclaw/testing";\nexport const x = startTelegramFake;\n')).toEqual([
      expect.stringContaining("fakes are for tests"),
    ]);
    // Tests may use the fakes.
    expect(await violations("packages/agent/src/x.test.ts", 'import { waitFor } from "@openclaw/testing";\nexport const x = waitFor;\n')).toEqual([]);
  });
});
