// A server-sent event stream as a test reads it: every named event with its parsed data, in order.
import assert from 'node:assert/strict';

// biome-ignore lint/suspicious/noExplicitAny: event data is read as the JSON it is
export type StreamEvent = [name: string, data: any];

/** Opens the stream with these headers (a bearer token or a session cookie) and collects its events. */
export async function listenEvents(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  assert.equal(response.status, 200, `the stream ${url} opens`);
  const events: StreamEvent[] = [];
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (name && data) events.push([name, JSON.parse(data)]);
        }
      }
    } catch {
      // aborted by close(), or the server went away
    }
  })();
  return {
    events,
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}
