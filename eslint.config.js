// One lint config for the monorepo. Besides a few correctness rules, it encodes the package
// boundaries of docs/ARCHITECTURE.md: an import that crosses one is an error, not a review comment.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const PROVIDER_LIBRARIES = ["grammy", "@grammyjs/*", "@slack/*", "discord.js", "@discordjs/*", "@whiskeysockets/baileys"];
const ADAPTERS = [
  "@openclaw/channel-telegram",
  "@openclaw/channel-slack",
  "@openclaw/channel-discord",
  "@openclaw/channel-whatsapp",
  "@openclaw/channel-signal",
  "@openclaw/channel-imessage",
];

/** `no-restricted-imports` with the given forbidden package patterns, each with its reason. */
function forbid(...rules) {
  return { "no-restricted-imports": ["error", { patterns: rules.map(([group, message]) => ({ group, message })) }] };
}

const noTesting = ["@openclaw/testing", "@openclaw/testing/*"];

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/dist-*/**", "**/generated/**", "**/coverage/**", "**/.ci-results/**", "**/.bench-results/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // Tests and fakes talk to untyped wire frames; `any` there is deliberate.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-empty": ["error", { allowEmptyCatch: true }],
      "no-constant-condition": ["error", { checkLoops: false }],
      // ANSI escapes are stripped with regular expressions on purpose.
      "no-control-regex": "off",
      // `{} extends T` is how a type asks "are all of T's fields optional".
      "@typescript-eslint/no-empty-object-type": "off",
      "prefer-const": ["error", { destructuring: "all", ignoreReadBeforeAssign: true }],
    },
  },
  {
    // A fake that hands out callbacks bound to itself.
    files: ["**/test/**", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-this-alias": "off" },
  },
  {
    files: ["packages/protocol/src/**"],
    rules: forbid(
      [["node:*", "fs", "net", "http", "crypto"], "protocol has no I/O: it imports typebox only"],
      [["@openclaw/*", "ws", "ajv", "pino"], "protocol depends on typebox only"],
    ),
  },
  {
    files: ["packages/channel-*/src/**"],
    // channel-contract is the test suite that runs adapters inside the real ChannelService; channel-kit has its own block.
    ignores: ["packages/channel-contract/**", "packages/channel-kit/**", "**/*.test.ts"],
    rules: forbid(
      [["@openclaw/gateway-core", "@openclaw/gateway-core/*"], "adapters implement channel-kit's contract and never import the gateway"],
      [noTesting, "fakes are for tests"],
    ),
  },
  {
    files: ["packages/gateway-core/src/**"],
    ignores: ["**/*.test.ts"],
    rules: forbid(
      [PROVIDER_LIBRARIES, "gateway-core never loads a provider library; adapters do"],
      [ADAPTERS, "only apps/gateway knows the concrete adapters"],
      [noTesting, "fakes are for tests"],
    ),
  },
  {
    files: ["packages/client/src/**", "packages/node-sdk/src/**", "packages/webchat/src/**", "packages/webchat/ui/**", "packages/conformance/src/**"],
    ignores: ["**/*.test.ts"],
    rules: forbid([["@openclaw/gateway-core", "@openclaw/gateway-core/*"], "clients speak only the wire protocol"], [noTesting, "fakes are for tests"]),
  },
  {
    files: ["packages/agent/src/**", "packages/channel-kit/src/**"],
    ignores: ["**/*.test.ts"],
    rules: forbid(
      [["@openclaw/gateway-core", "@openclaw/gateway-core/*"], "the gateway depends on this package, not the other way"],
      [noTesting, "fakes are for tests"],
    ),
  },
  {
    files: ["apps/gateway/src/**"],
    rules: forbid([noTesting, "fakes are for tests"], [["@openclaw/gateway-core/internal"], "the app uses gateway-core's public surface"]),
  },
);
