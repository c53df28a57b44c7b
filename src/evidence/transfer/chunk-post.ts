// The sender's HTTP for chunk records: node's own client over kept-alive connections, the record
// written as its parts (nonce, ciphertext, tag). fetch copies a request body twice on the way out
// (a megabyte each per chunk, both garbage at once), which cost more than the encryption.
import type { IncomingMessage } from 'node:http';

// Taken as Node's own modules, not by `import … from 'node:http'`: an ES import of node:http reads
// every export, and one loads Node's fetch (undici), some 60 ms of a node's start (client-errors.ts).
const { Agent: HttpAgent, request: httpRequest } = process.getBuiltinModule('node:http');
const { Agent: HttpsAgent, request: httpsRequest } = process.getBuiltinModule('node:https');

/** No answer for this long on a connection: the receiver is gone (a cut, a kill). */
const SILENCE_MS = 120_000;

type Reply = { status: number; body: Record<string, unknown> };

export function chunkPoster(connections: number) {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: connections }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: connections }),
  };
  return {
    /**
     * POSTs the parts as one body; answers the status and the JSON body (empty object if none). A kept
     * connection the receiver had already closed (it restarted) is tried once more on a new one: a
     * chunk sent twice is stored once.
     */
    async post(url: string, parts: readonly Uint8Array[], headers: Record<string, string>): Promise<Reply> {
      try {
        return await once(url, parts, headers);
      } catch (error) {
        if (!(error as { reusedSocket?: boolean }).reusedSocket) throw error;
        return once(url, parts, headers);
      }
    },
    close(): void {
      agents.http.destroy();
      agents.https.destroy();
    },
  };

  function once(url: string, parts: readonly Uint8Array[], headers: Record<string, string>): Promise<Reply> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const length = parts.reduce((n, p) => n + p.length, 0);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? agents.https : agents.http,
          headers: { ...headers, 'content-length': String(length) },
        },
        (res: IncomingMessage) => {
          answered = true;
          const pieces: Buffer[] = [];
          res.on('data', (piece: Buffer) => pieces.push(piece));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(pieces).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.setTimeout(SILENCE_MS, () => req.destroy(new Error(`no answer in ${SILENCE_MS / 1000} s`)));
      req.on('error', (error) =>
        reject(Object.assign(error, { reusedSocket: req.reusedSocket && !answered })),
      );
      for (const part of parts) req.write(part);
      req.end();
    });
  }
}
