// Reads a server-sent event stream in tests: events arrive in a queue, `next` waits with a deadline.
export type SseEvent = { id: string; event: string; data: any };

/** Opens a stream with an API token, or with other credentials (a session cookie) when `token` is null. */
export async function openSse(url: string, token: string | null, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const at = line.indexOf(':');
            if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1).trimStart();
          }
          if (fields.data) {
            events.push({
              id: fields.id ?? '',
              event: fields.event ?? 'message',
              data: JSON.parse(fields.data),
            });
            for (const w of waiters.splice(0)) w();
          }
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    /** True once the server closed the stream. */
    get ended() {
      return ended;
    },
    /** The next event not yet taken, or a failure after the deadline. */
    async next(timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      while (events.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no event before the deadline');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events.shift()!;
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

/** Waits for the stream to be told it ended (signed out) and then closed, within the deadline. */
export async function endsSignedOut(stream: Awaited<ReturnType<typeof openSse>>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  let event: SseEvent;
  do {
    event = await stream.next(Math.max(1, deadline - Date.now()));
  } while (event.event !== 'end');
  if (JSON.stringify(event.data) !== JSON.stringify({ reason: 'signed-out' }))
    throw new Error(`the stream ended with ${JSON.stringify(event.data)}`);
  while (!stream.ended) {
    if (Date.now() > deadline) throw new Error('the stream stayed open');
    await new Promise((r) => setTimeout(r, 20));
  }
}
