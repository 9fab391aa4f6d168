import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './json.js';

/**
 * The request body, up to `limit` bytes: a larger one (declared or sent) is not buffered — the
 * answer is 'too_large' as soon as it is known, and the caller refuses it with 413.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve('too_large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading; answer 413 and close the connection rather than drain the rest.
        request.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('aborted', () => resolve('aborted'));
    request.on('error', reject);
  });
}

/** Refuse a request and close its connection (the rest of its body is never read). */
export function deny(response: ServerResponse, status: number, error: string, message?: string): void {
  if (response.headersSent) return;
  response.setHeader('connection', 'close');
  sendJson(response, status, message ? { error, message } : { error });
}
