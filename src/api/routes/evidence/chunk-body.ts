// The body of a chunk record, read into one buffer of the declared length as its pieces arrive.
// Fastify's buffer parser keeps the pieces and joins them at the end: two megabytes alive per chunk
// instead of one, and a megabyte more of garbage, for each of the chunks in flight. The buffer comes
// from a pool of records (given back by the route once the chunk is stored), so it is not garbage either.
import type { IncomingMessage } from 'node:http';
import { errorCodes } from 'fastify';
import type { RecordPool } from '../../../evidence/transfer/record-pool.ts';

export function readChunkBody(
  payload: IncomingMessage,
  declaredLength: string | undefined,
  limit: number,
  pool: RecordPool,
): Promise<Buffer> {
  const declared = declaredLength === undefined ? Number.NaN : Number(declaredLength);
  if (declared > limit) return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  // Without a declared length (chunked), the pieces are kept and joined, as fastify does.
  const body = Number.isSafeInteger(declared) && declared >= 0 ? pool.take(declared) : null;
  const pieces: Buffer[] = [];
  let received = 0;
  return new Promise((resolve, reject) => {
    const finish = (error: Error | null, value?: Buffer) => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onEnd);
      if (error && body) pool.give(body);
      if (error) reject(error);
      else resolve(value!);
    };
    function onData(piece: Buffer) {
      if (received + piece.length > (body?.length ?? limit)) {
        finish(
          body
            ? new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH()
            : new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
        );
        return;
      }
      if (body) piece.copy(body, received);
      else pieces.push(piece);
      received += piece.length;
    }
    function onEnd(error?: Error & { statusCode?: number }) {
      if (error) {
        if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
        finish(error);
      } else if (body && received !== body.length)
        finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      else finish(null, body ?? Buffer.concat(pieces, received));
    }
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
    payload.resume();
  });
}
