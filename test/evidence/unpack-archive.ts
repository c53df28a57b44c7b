// Fetches a hand-delivery archive as an officer and unpacks it with the system's tar, as the partner
// who receives it does; answers the folder it unpacked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function unpackArchive(
  nodeUrl: string,
  path: string,
  token: string,
  into: string,
): Promise<string> {
  const response = await fetch(`${nodeUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/x-tar');
  await mkdir(into, { recursive: true });
  const file = join(into, 'archive.tar');
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(file));
  await run('tar', ['-xf', file, '-C', into]);
  const folder = (await readdir(into)).find((n) => n.startsWith('evidence-'))!;
  return join(into, folder);
}
