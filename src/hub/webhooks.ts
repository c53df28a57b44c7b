// Signed webhooks: every committed change a subscriber may read (mayReceive, at delivery time) is POSTed
// to its URL as JSON, with `x-hanoi247-signature: t=<unix seconds>,v1=<hex>` where v1 is
// HMAC-SHA-256(secret, "<t>.<body>"). The receiver recomputes it and rejects stale timestamps.
// Only administrators register endpoints (the node makes outgoing requests to them).
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit-log.ts';
import type { Role } from '../domain/codes.ts';
import type { Clock } from '../shared/clock.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { uuidv7 } from '../shared/ids.ts';
import type { Database } from '../store/database.ts';
import { hubWebhooks, users } from '../store/schema/index.ts';
import { eventPayload, type HubEvents } from './hub-events.ts';
import type { HubEvent } from './hub-types.ts';
import type { Membership } from './membership.ts';
import { mayReceive } from './visibility.ts';

export const SIGNATURE_HEADER = 'x-hanoi247-signature';
const ATTEMPTS = 4;
const TIMEOUT_MS = 5000;

export type WebhookView = {
  id: string;
  username: string;
  url: string;
  createdAt: string;
  lastDelivery: { at: string; ok: boolean; status: number | null; error: string | null } | null;
};

type Hook = {
  id: string;
  userId: string;
  username: string;
  roles: Role[];
  url: string;
  secret: string;
  createdAt: Date;
};

/** The signature header for a body, as the receiver recomputes it. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** One POST of a signed body; what the receiver answered, or why it could not be reached. */
async function postSigned(
  send: typeof fetch,
  hook: Pick<Hook, 'url' | 'secret'>,
  body: string,
  now: Date,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await send(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(hook.secret, body, Math.floor(now.getTime() / 1000)),
      },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return { status: response.status, error: response.ok ? null : `answered ${response.status}` };
  } catch (e) {
    return { status: null, error: (e as Error).message };
  }
}

export async function createWebhooks(deps: {
  database: Database;
  clock: Clock;
  membership: Membership;
  events: HubEvents;
  fetchImpl?: typeof fetch;
  onError?: (error: unknown, hookId: string) => void;
}) {
  const { database, clock, membership, events } = deps;
  const send = deps.fetchImpl ?? fetch;
  const hooks = new Map<string, Hook>();
  const last = new Map<string, WebhookView['lastDelivery']>();

  /** Reads the subscriptions (at start, and when another replica added or removed one). */
  async function load(): Promise<void> {
    const rows = await database.db
      .select({ hook: hubWebhooks, username: users.username, roles: users.roles })
      .from(hubWebhooks)
      .innerJoin(users, eq(users.id, hubWebhooks.userId));
    hooks.clear();
    for (const r of rows) hooks.set(r.hook.id, { ...r.hook, username: r.username, roles: r.roles as Role[] });
  }
  await load();

  /**
   * The owner as the database has it now: a disabled owner's hook sends nothing, and a changed role
   * list counts from the next event (the roles read at start-up would otherwise hold forever).
   */
  async function ownerNow(hook: Hook): Promise<{ userId: string; roles: Role[] } | null> {
    const [owner] = await database.db
      .select({ roles: users.roles, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, hook.userId));
    return owner && !owner.disabled ? { userId: hook.userId, roles: owner.roles as Role[] } : null;
  }

  async function mayDeliver(hook: Hook, event: HubEvent): Promise<boolean> {
    const owner = await ownerNow(hook);
    return owner !== null && mayReceive(membership.viewerFor(owner), event);
  }

  async function deliver(hook: Hook, body: string, event: HubEvent, attempt = 1): Promise<void> {
    // Checked before every attempt: a retry must not reach an owner disabled in between.
    if (!(await mayDeliver(hook, event).catch(() => false))) return;
    const { status, error } = await postSigned(send, hook, body, clock.now());
    last.set(hook.id, { at: clock.now().toISOString(), ok: error === null, status, error });
    if (error === null || attempt >= ATTEMPTS || !hooks.has(hook.id)) {
      if (error !== null) deps.onError?.(new Error(`webhook delivery failed: ${error}`), hook.id);
      return;
    }
    // Back off 1 s, 4 s, 16 s; the timer does not keep the process alive.
    await new Promise((resolve) => setTimeout(resolve, 1000 * 4 ** (attempt - 1)).unref());
    return deliver(hook, body, event, attempt + 1);
  }

  events.subscribe((event: HubEvent) => {
    // The replica that committed the change calls the webhooks.
    if (event.replicated) return;
    const body = JSON.stringify(eventPayload(event));
    for (const hook of hooks.values()) void deliver(hook, body, event);
  });

  function view(h: Hook): WebhookView {
    return {
      id: h.id,
      username: h.username,
      url: h.url,
      createdAt: h.createdAt.toISOString(),
      lastDelivery: last.get(h.id) ?? null,
    };
  }

  async function add(actor: string, input: { username: string; url: string }) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new ValidationError([{ field: 'url', message: 'is not a URL' }]);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new ValidationError([{ field: 'url', message: 'must be http(s)' }]);
    if (url.username || url.password)
      throw new ValidationError([{ field: 'url', message: 'must not carry credentials' }]);
    const [user] = await database.db.select().from(users).where(eq(users.username, input.username));
    if (!user) throw new NotFoundError('User', input.username);
    const now = clock.now();
    const hook: Hook = {
      id: uuidv7(now.getTime()),
      userId: user.id,
      username: user.username,
      roles: user.roles as Role[],
      url: url.toString(),
      secret: randomBytes(32).toString('base64url'),
      createdAt: now,
    };
    await database.db.transaction(async (tx) => {
      await tx.insert(hubWebhooks).values({
        id: hook.id,
        userId: hook.userId,
        url: hook.url,
        secret: hook.secret,
        createdAt: now,
      });
      await appendAudit(
        tx,
        {
          actor,
          action: 'hub.webhook.add',
          objectType: 'hub_webhook',
          objectId: hook.id,
          payload: { userId: user.id, url: hook.url },
        },
        now,
      );
    });
    hooks.set(hook.id, hook);
    return { webhook: view(hook), secret: hook.secret };
  }

  async function remove(actor: string, id: string) {
    if (!hooks.has(id)) throw new NotFoundError('Webhook', id);
    const now = clock.now();
    await database.db.transaction(async (tx) => {
      await tx.delete(hubWebhooks).where(eq(hubWebhooks.id, id));
      await appendAudit(
        tx,
        { actor, action: 'hub.webhook.remove', objectType: 'hub_webhook', objectId: id, payload: {} },
        now,
      );
    });
    hooks.delete(id);
    last.delete(id);
  }

  return { add, remove, list: () => [...hooks.values()].map(view), reload: load };
}

export type Webhooks = Awaited<ReturnType<typeof createWebhooks>>;
