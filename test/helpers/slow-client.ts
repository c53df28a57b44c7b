// A slow client of a long answer, for the tests that revoke its credentials half-way (issue 16, part 3):
// a reader that takes the answer a piece at a time, and a sender that writes its body a line at a
// time and never ends it. Each measures nothing: it tells how the exchange ended.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';

export type ReadOutcome = { status: number; received: number; complete: boolean; endedMs: number };

/**
 * GETs `url` (or POSTs `body`) with a slow reader (a pause of `pauseMs` after each piece); once the
 * first bytes arrived, `revoke` runs. Answers how the answer ended and how long after the revocation.
 */
export function slowRead(
  url: string,
  headers: Record<string, string>,
  revoke: () => Promise<void>,
  pauseMs: number,
  body?: string,
): Promise<ReadOutcome> {
  return new Promise<ReadOutcome>((resolve, reject) => {
    let revokedAt = 0;
    let received = 0;
    let status = 0;
    const req = httpRequest(new URL(url), { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      status = res.statusCode ?? 0;
      let revoking: Promise<void> | null = null;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        res.pause();
        revoking ??= revoke().then(() => {
          revokedAt = Date.now();
        }, reject);
        const next = setTimeout(() => res.resume(), pauseMs);
        next.unref();
      });
      // An aborted response emits 'close' without 'end' (and, on newer Node, an error first).
      res.on('error', () => {});
      res.on('close', () => {
        void (revoking ?? Promise.resolve()).then(() =>
          resolve({ status, received, complete: res.complete, endedMs: Date.now() - revokedAt }),
        );
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The cut may reach the client as a reset of the connection: that is an end, not a failure.
      if (status === 0) reject(error);
    });
    req.end(body);
  });
}

/** The answer had started (200) and was cut before its `whole` bytes, within `deadlineMs` of the revocation. */
export function assertCut(outcome: ReadOutcome, whole: number, deadlineMs: number): void {
  assert.equal(outcome.status, 200);
  assert.ok(outcome.received > 0, 'the answer had started');
  assert.equal(outcome.complete, false, `the answer was cut (${outcome.received} bytes arrived)`);
  assert.ok(outcome.received < whole, `not every byte arrived (${outcome.received} of ${whole})`);
  assert.ok(outcome.endedMs < deadlineMs, `it ended ${outcome.endedMs} ms after the revocation`);
}

export type SendOutcome = {
  /** The status answered while the body was still being sent; 0 when the connection was cut first. */
  status: number;
  text: string;
  /** Lines written before the answer (or the cut) came. */
  linesSent: number;
  /** Lines written when `revoke` was called. */
  linesAtRevocation: number;
};

/**
 * POSTs a body to `url` a line every `pauseMs`, and never ends it: after `revokeAfter` lines,
 * `revoke` runs. Resolves once the node answers or cuts the connection; rejects if neither happened
 * `deadlineMs` after the revocation (a node that waits for the whole body before it rechecks).
 */
export function slowSend(
  url: string,
  headers: Record<string, string>,
  line: (i: number) => string,
  options: { revokeAfter: number; revoke: () => Promise<void>; pauseMs: number; deadlineMs: number },
): Promise<SendOutcome> {
  return new Promise<SendOutcome>((resolve, reject) => {
    let linesSent = 0;
    let linesAtRevocation = -1;
    let settled = false;
    let writer: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const req = httpRequest(new URL(url), { method: 'POST', headers });
    const settle = (outcome: SendOutcome | Error) => {
      if (settled) return;
      settled = true;
      clearInterval(writer);
      clearTimeout(deadline);
      req.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', () => {});
      res.on('close', () =>
        settle({
          status: res.statusCode ?? 0,
          text: Buffer.concat(parts).toString('utf8'),
          linesSent,
          linesAtRevocation,
        }),
      );
    });
    req.on('error', () => {
      if (linesAtRevocation < 0)
        settle(new Error(`the upload failed before the revocation (${linesSent} lines)`));
      else settle({ status: 0, text: '', linesSent, linesAtRevocation });
    });
    writer = setInterval(() => {
      if (settled) return;
      req.write(line(linesSent));
      linesSent++;
      if (linesSent !== options.revokeAfter) return;
      linesAtRevocation = linesSent;
      options.revoke().then(() => {
        deadline = setTimeout(
          () => settle(new Error(`no answer and no cut ${options.deadlineMs} ms after the revocation`)),
          options.deadlineMs,
        );
      }, settle);
    }, options.pauseMs);
  });
}
