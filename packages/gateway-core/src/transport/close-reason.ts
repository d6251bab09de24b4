/** WebSocket close reasons are limited to 123 bytes of UTF-8; cut on a character boundary. */
export function truncateCloseReason(reason: string): string {
  const bytes = Buffer.from(reason, "utf8");
  if (bytes.length <= 123) return reason;
  let end = 123;
  // Step back over UTF-8 continuation bytes so no character is split.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}
