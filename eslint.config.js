// ESLint flat config: correctness rules (no type information, so it stays fast) and the package boundaries
// of docs/ARCHITECTURE.md as `no-restricted-imports`. Formatting belongs to Prettier, not to this file.
import { readdirSync, readFileSync } from "node:fs";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

// Import specifiers are matched by regex, so "everything except X" can be written directly.
const ban = (regex, message) => ({ regex, message });

const TESTING = ban("^@openclaw/testing(/|$)", "@openclaw/testing is private: published source must not depend on it.");
const GATEWAY_CORE = ban("^@openclaw/gateway-core(/|$)", "Only apps/gateway (and the channel contract harness) may depend on gateway-core.");
const PROVIDER_LIBS = ban(
  "^(grammy|@slack/.*|discord\\.js|@whiskeysockets/baileys|baileys)(/|$)",
  "gateway-core never imports a provider library; the adapter packages own them.",
);
const ADAPTER_PACKAGES = ban(
  "^@openclaw/channel-(?!kit(/|$))",
  "gateway-core knows adapters only through @openclaw/channel-kit; apps/gateway wires concrete adapters.",
);
const PROTOCOL_ONLY_TYPEBOX = ban("^(?!\\.{1,2}/|@sinclair/typebox(/|$))", "protocol has no I/O and depends on nothing but @sinclair/typebox.");

/** Boundaries of each package's source folders, derived from the workspace so new packages are covered. */
function boundaryConfigs() {
  const configs = [];
  for (const dir of readdirSync("packages")) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(`packages/${dir}/package.json`, "utf8"));
    } catch {
      continue;
    }
    const bans = [];
    if (dir === "protocol") bans.push(PROTOCOL_ONLY_TYPEBOX);
    // channel-contract is the private harness that runs adapters inside the real channel service.
    if (dir.startsWith("channel-") && dir !== "channel-contract") bans.push(GATEWAY_CORE);
    if (dir === "gateway-core") bans.push(PROVIDER_LIBS, ADAPTER_PACKAGES);
    if (dir === "client" || dir === "node-sdk" || dir === "webchat") bans.push(GATEWAY_CORE);
    const sources = [`packages/${dir}/src/**/*.{ts,js,mjs}`, ...(dir === "webchat" ? ["packages/webchat/ui/**/*.{ts,js,mjs}"] : [])];
    // Unit tests beside the code are not shipped, so only they may use the private test helpers.
    const shipped = manifest.private ? bans : [...bans, TESTING];
    if (shipped.length > 0) {
      configs.push({
        files: sources,
        ignores: ["**/*.test.ts"],
        rules: { "no-restricted-imports": ["error", { patterns: shipped }] },
      });
    }
    if (bans.length > 0) {
      configs.push({
        files: sources.map((glob) => glob.replace("**/*.{ts,js,mjs}", "**/*.test.ts")),
        rules: { "no-restricted-imports": ["error", { patterns: bans }] },
      });
    }
  }
  return configs;
}

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/dist-*/**", "**/generated/**", "**/coverage/**", "**/.ci-results/**", "**/.bench-results/**"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `case a: // why\n case b:` groups cases; only a case with statements must end in break/return.
      "no-fallthrough": ["error", { allowEmptyCase: true }],
      // Matching ANSI escapes (log and terminal output) is what these regexes are for.
      "no-control-regex": "off",
      // A `let` read by a callback before its one assignment would be in the TDZ as a `const`.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      // `{} extends T` is the type-level test for "every field optional".
      "@typescript-eslint/no-empty-object-type": ["error", { allowObjectTypes: "always" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests poke at untyped wire payloads and build fakes as object literals closing over `this`.
    files: ["**/test/**", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-this-alias": "off",
    },
  },
  {
    files: ["packages/webchat/ui/**", "packages/gateway-core/a2ui/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...boundaryConfigs(),
);
