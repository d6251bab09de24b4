import { packageBuild } from "../../tsup.base.js";

// `./config` is the settings schema alone, so the gateway can check config without loading the provider library.
export default packageBuild({ entry: ["src/index.ts", "src/config.ts"] });
