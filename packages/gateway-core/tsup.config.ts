import { packageBuild } from "../../tsup.base.js";

// TypeBox and Ajv are bundled: they are hundreds of small modules, and resolving them cost ~230 ms of
// gateway start-up. Its `Kind` markers are global symbols, so bundled and unbundled copies agree.
export default packageBuild({ noExternal: ["@sinclair/typebox", "ajv"] });
