// Database.copyOut on PostgreSQL reads the socket itself while a COPY runs (CopyOut in database.ts).
// Whatever the chunking, it must keep exactly the CopyData messages, and hand pg exactly the bytes after
// CopyDone, or from an ErrorResponse on.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { CopyOut } from '../../src/store/database.ts';

function message(code: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = code.charCodeAt(0);
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

const data = [
  Buffer.from('PGCOPY header and row 1'),
  Buffer.alloc(0),
  Buffer.from('row 2'),
  Buffer.alloc(300, 7),
];
const copyData = Buffer.concat(data.map((d) => message('d', d)));
const afterDone = Buffer.concat([message('C', Buffer.from('COPY 3\0')), message('Z', Buffer.from('I'))]);

/** Feeds `stream` to a CopyOut in chunks of `size`; returns what it kept and what pg's listener got. */
async function feed(stream: Buffer, size: number, ready = true) {
  const socket = new EventEmitter();
  const toPg: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => toPg.push(Buffer.from(chunk)));
  const copy = new CopyOut('COPY x TO STDOUT');
  let sent = '';
  copy.submit({
    stream: socket,
    query: (text: string) => {
      sent = text;
    },
  });
  assert.equal(sent, 'COPY x TO STDOUT');
  for (let p = 0; p < stream.length; p += size) socket.emit('data', stream.subarray(p, p + size));
  if (ready) copy.handleReadyForQuery();
  return { kept: ready ? await copy.done : null, toPg: Buffer.concat(toPg), copy };
}

test('keeps the CopyData messages whole and hands pg what follows CopyDone, in chunks of any size', async () => {
  const stream = Buffer.concat([
    message('H', Buffer.from([1, 0, 9])),
    copyData.subarray(0, message('d', data[0]!).length),
    message('N', Buffer.from('a notice\0')),
    copyData.subarray(message('d', data[0]!).length),
    message('c', Buffer.alloc(0)),
    afterDone,
  ]);
  for (const size of [1, 2, 3, 4, 5, 6, 7, 11, 64, 333, stream.length]) {
    const { kept, toPg } = await feed(stream, size);
    assert.deepEqual(kept, copyData, `chunks of ${size}`);
    assert.deepEqual(toPg, afterDone, `chunks of ${size}`);
  }
});

test('hands pg an ErrorResponse whole, even when its header is split, and fails the copy', async () => {
  const error = message('E', Buffer.from('SERROR\0Mboom\0\0'));
  const stream = Buffer.concat([
    message('H', Buffer.from([1, 0, 9])),
    copyData,
    error,
    message('Z', Buffer.from('I')),
  ]);
  for (const size of [1, 2, 3, 5, 7, 64, stream.length]) {
    const { toPg, copy } = await feed(stream, size, false);
    assert.deepEqual(toPg, stream.subarray(stream.indexOf(error)), `chunks of ${size}`);
    copy.handleError(new Error('boom'));
    await assert.rejects(copy.done, /boom/);
  }
});

test('a connection not in the expected state is refused through pg, not thrown', () => {
  const socket = new EventEmitter();
  socket.on('data', () => {});
  socket.on('data', () => {});
  const error = new CopyOut('COPY x TO STDOUT').submit({
    stream: socket,
    query: () => assert.fail('queried'),
  });
  assert.match(String(error), /not in the expected state/);
});
