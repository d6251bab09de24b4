/**
 * The header of one final, unmasked, uncompressed text frame carrying `length` payload bytes: the
 * frame a server sends (RFC 6455 section 5.2). Lengths under 126 fit in the second byte; up to
 * 65 535 they follow in 16 bits, beyond that in 64 bits (a JS length stays below 2^53).
 */
export function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 0x1_0000) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}
