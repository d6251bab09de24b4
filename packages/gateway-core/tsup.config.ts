import { packageBuild } from "../../tsup.base.js";

// Ajv is bundled: it is over a hundred small CommonJS modules, and resolving them cost start-up time.
// TypeBox's builder comes from @openclaw/protocol (which bundles it), so the gateway loads one copy;
// the imports of @sinclair/typebox left here are types only. The internal entry shares chunks with the main one.
export default packageBuild({ entry: ["src/index.ts", "src/internal.ts"], noExternal: ["ajv"] });
