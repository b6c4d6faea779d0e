import { AppError } from "../errors";

/**
 * Reads at most `limit` bytes. Content-Length is checked first, but chunked bodies carry none,
 * so the stream is counted too and abandoned as soon as it goes over.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<string> {
  const bytes = await readBytesLimited(request, limit);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid UTF-8.", { fields: { body: "Not valid UTF-8." } });
  }
}

/** The raw bytes, at most `limit` of them (signed webhooks are verified over exactly these bytes). */
export async function readBytesLimited(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new AppError("PAYLOAD_TOO_LARGE", `The body is larger than ${limit} bytes.`, {
      fields: { body: `At most ${limit} bytes.` },
    });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
