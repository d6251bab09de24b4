import QRCode from "qrcode";

/** A WhatsApp link QR as terminal text (small, two rows per character line). */
export async function renderQr(data: string): Promise<string> {
  return QRCode.toString(data, { type: "terminal", small: true, errorCorrectionLevel: "L" });
}
