// A valid federation header for tests and benches: a ping from VN to FR, good for an hour.
import type { MessageHeader } from '../../src/domain/federation/index.ts';
import { uuidv7 } from '../../src/shared/ids.ts';

export function pingHeader(now: Date, overrides: Partial<MessageHeader> = {}): MessageHeader {
  return {
    id: uuidv7(now.getTime()),
    from: 'VN',
    to: 'FR',
    created: now.toISOString(),
    expires: new Date(now.getTime() + 3_600_000).toISOString(),
    type: 'ping',
    requestId: null,
    inReplyTo: null,
    seq: null,
    ...overrides,
  };
}
