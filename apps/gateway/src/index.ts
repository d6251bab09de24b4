// Public surface of @openclaw/gateway: filled by the gateway-core issue.
export { PROTOCOL_VERSION } from "@openclaw/protocol";
