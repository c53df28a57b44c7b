// A streaming POSIX tar (ustar, with pax headers for long or non-ASCII names): what every system can
// open without installing anything, written one entry at a time so that an archive of tens of GB
// holds one chunk in memory. No dependency: the format is 512-byte headers and padded contents.
import { Readable } from 'node:stream';

export type TarEntry = {
  /** Path inside the archive, with `/` separators. */
  name: string;
  size: number;
  mtime: Date;
  /** The bytes: exactly `size` of them. */
  body: Buffer | AsyncIterable<Uint8Array>;
};

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: Date, type: '0' | 'x'): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** A pax record: "<length> path=<value>\n", where the length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return Buffer.from(`${length}${body}`, 'utf8');
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

async function* blocks(entries: AsyncIterable<TarEntry> | Iterable<TarEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const ascii = /^[\x20-\x7e]*$/.test(entry.name);
    if (!ascii || Buffer.byteLength(entry.name) > 100) {
      const pax = paxRecord('path', entry.name);
      yield header(
        `PaxHeaders/${entry.name.replace(/[^\x20-\x7e]/g, '_').slice(-80)}`,
        pax.length,
        entry.mtime,
        'x',
      );
      yield Buffer.concat([pax, padding(pax.length)]);
    }
    yield header(
      ascii ? entry.name.slice(0, 100) : entry.name.replace(/[^\x20-\x7e]/g, '_').slice(0, 100),
      entry.size,
      entry.mtime,
      '0',
    );
    let written = 0;
    if (Buffer.isBuffer(entry.body)) {
      written = entry.body.length;
      yield entry.body;
    } else
      for await (const chunk of entry.body) {
        written += chunk.length;
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    // A short or long body would shift every later header: fail rather than write a broken archive.
    if (written !== entry.size) throw new Error(`${entry.name}: ${written} bytes, not ${entry.size}`);
    yield padding(entry.size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The archive of these entries, as a stream. */
export function tarStream(entries: AsyncIterable<TarEntry> | Iterable<TarEntry>): Readable {
  return Readable.from(blocks(entries), { objectMode: false });
}
