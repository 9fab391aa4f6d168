import type { IncomingMessage } from 'node:http';

/** Read the raw request bytes (signatures are computed over them), refusing oversize bodies. */
export async function readRawBody(request: IncomingMessage, limitBytes = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) throw Object.assign(new Error('request body too large'), { statusCode: 413 });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
