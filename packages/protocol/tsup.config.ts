import { packageBuild } from "../../tsup.base.js";

// TypeBox is bundled: its ESM build is ~300 small modules, and resolving them cost ~180 ms of
// gateway start-up. Its `Kind` markers are global symbols, so bundled and unbundled copies agree.
export default packageBuild({ noExternal: ["@sinclair/typebox"] });
