#!/usr/bin/env node
import { PROTOCOL_VERSION } from "@openclaw/protocol";

console.log(`openclaw gateway shell (protocol v${PROTOCOL_VERSION}): the gateway itself is not built yet.`);
