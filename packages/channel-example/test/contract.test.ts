import { runAdapterContract } from "@openclaw/channel-contract";
import { harness } from "./harness.js";

runAdapterContract(harness);
