// One lint config for the monorepo. Besides a few correctness rules, it encodes the package
// boundaries of docs/ARCHITECTURE.md: an import that crosses one is an error, not a review comment.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const PROVIDER_LIBRARIES = ["grammy", "@grammyjs/*", "@slack/*", "discord.js", "@discordjs/*", "@whiskeysockets/baileys", "baileys"];
// Every @openclaw/channel-<provider>, including ones added later; channel-kit is the contract gateway-core builds on.
const ADAPTERS = "^@openclaw/channel-(?!kit(?:/|$))";

/** A module pattern as a regular expression: `*` stands for one path segment, and a match covers the module's subpaths. */
const specifier = (pattern) => `${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]+")}(?:/.*)?`;
const anyOf = (patterns) => `(?:${patterns.map(specifier).join("|")})`;

/**
 * The forbidden imports of a folder, each with its reason: a list of module patterns, or a regular expression (a string).
 * Static imports and re-exports go through `no-restricted-imports`; `import("x")` with a literal, which is how the gateway
 * lazy-loads, does not, so the same expressions also go into `no-restricted-syntax`.
 */
function forbid(...rules) {
  const banned = rules.map(([what, message]) => ({ regex: typeof what === "string" ? what : `^${anyOf(what)}$`, message }));
  return {
    "no-restricted-imports": ["error", { patterns: banned }],
    "no-restricted-syntax": [
      "error",
      // esquery ends a regular expression at the first `/`, so it is written as \u002F.
      ...banned.map(({ regex, message }) => ({ selector: `ImportExpression[source.value=/${regex.replaceAll("/", "\\u002F")}/i]`, message })),
    ],
  };
}

const noTesting = ["@openclaw/testing"];

// A better-sqlite3 statement or database that becomes garbage aborts the process on Node 24 (why:
// packages/gateway-core/src/store/statements.ts). Statements come from prepared(), which keeps them, and a pragma that
// sets something goes through db.exec, which creates no statement object.
const KEPT_STATEMENTS = [
  {
    selector: "CallExpression[callee.property.name=/^(prepare|pragma|iterate|backup)$/]",
    message: "use prepared(db, sql) (and db.exec for PRAGMA x = y): a dropped better-sqlite3 object aborts Node 24 (store/statements.ts)",
  },
];

/** `rules` with more `no-restricted-syntax` entries (a later config object would replace the list, not extend it). */
const withSyntax = (rules, entries) => ({ ...rules, "no-restricted-syntax": [...(rules["no-restricted-syntax"] ?? ["error"]), ...entries] });
const NODE_BUILTINS = ["node:*", ...builtinModules];

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
      [NODE_BUILTINS, "protocol has no I/O: it imports typebox only"],
      // Anything else that is neither relative nor typebox (a builtin already has the message above).
      [`^(?!\\.{1,2}/|@sinclair/typebox(?:/|$)|${anyOf(NODE_BUILTINS)}$)`, "protocol depends on typebox only"],
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
    rules: withSyntax(
      forbid(
        [PROVIDER_LIBRARIES, "gateway-core never loads a provider library; adapters do"],
        [ADAPTERS, "only apps/gateway knows the concrete adapters"],
        [noTesting, "fakes are for tests"],
      ),
      KEPT_STATEMENTS,
    ),
  },
  {
    // Tests that open a store run in the same process as the code, on Node 24 too.
    files: ["packages/gateway-core/test/**", "packages/gateway-core/src/**/*.test.ts", "apps/gateway/test/**"],
    rules: withSyntax({}, KEPT_STATEMENTS),
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
