// Notifications leave the node by signed webhook and, when configured, by e-mail. A delivery row is
// written in the same transaction as the notification (an outbox), then a worker claims due rows
// with a lease, delivers outside any transaction, and records the outcome with its audit entry.
import { createHmac } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit-log.ts';
import type { Config } from '../config.ts';
import type { DirectoryDocument } from '../domain/directory/index.ts';
import type { FormLanguage } from '../domain/requests/index.ts';
import type { Clock } from '../shared/clock.ts';
import { uuidv7 } from '../shared/ids.ts';
import { type Database, type Db, rowsOf } from '../store/database.ts';
import { notificationDeliveries, notifications } from '../store/schema/index.ts';
import { decodeNotice, messageText, noticeLanguage, noticeText } from './notification-text.ts';

/** Where notifications are delivered besides the in-app list. */
export type DeliveryTargets = { webhookUrls: readonly string[]; mailTo: readonly string[] };

export type DeliverySettings = {
  webhookUrls: readonly string[];
  webhookSecret: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  mailTo: readonly string[];
  /** Attempts before giving up, and the first retry delay (doubled each time, capped at an hour). */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** How long a claimed delivery is reserved for the worker that claimed it. */
  leaseMs?: number;
  timeoutMs?: number;
  /** The language of the e-mails: the node's officers' (its own State's authorities'), else English. */
  mailLanguage?: () => Promise<FormLanguage>;
};

export const WEBHOOK_SIGNATURE_HEADER = 'x-hanoi247-signature';
export const WEBHOOK_DELIVERY_HEADER = 'x-hanoi247-delivery';

/** The signature header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** The delay before the next attempt after `attempts` failures: doubling, capped at one hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

export function targetsOf(
  settings: Pick<DeliverySettings, 'webhookUrls' | 'smtpUrl' | 'mailTo'>,
): DeliveryTargets {
  return { webhookUrls: settings.webhookUrls, mailTo: settings.smtpUrl ? settings.mailTo : [] };
}

/** Writes the deliveries of new notifications, inside the transaction that creates them. */
export async function enqueueDeliveries(
  tx: Db,
  notificationIds: readonly string[],
  targets: DeliveryTargets | undefined,
  now: Date,
): Promise<void> {
  if (!targets || notificationIds.length === 0) return;
  const rows = notificationIds.flatMap((notificationId) => [
    ...targets.webhookUrls.map((target) => ({ notificationId, channel: 'webhook', target })),
    ...targets.mailTo.map((target) => ({ notificationId, channel: 'email', target })),
  ]);
  if (rows.length === 0) return;
  await tx.insert(notificationDeliveries).values(
    rows.map((r) => ({
      id: uuidv7(now.getTime()),
      ...r,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })),
  );
}

/** The SMTP transport; nodemailer is imported only by a node that sends e-mail. */
async function smtpTransport(smtpUrl: string, timeoutMs: number): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer');
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

type Claimed = { id: string; notification_id: string; channel: string; target: string; attempts: number };

const SYSTEM = 'system:notifications';

type NoticePayload = {
  id: string;
  kind: string;
  requestId: string | null;
  message: string;
  notice: ReturnType<typeof decodeNotice>;
};

/** The e-mail of a notification, in the node's own language when the notice is a coded one. */
async function mailNotice(
  transport: Transporter,
  settings: DeliverySettings,
  to: string,
  payload: NoticePayload,
): Promise<void> {
  const language = (await settings.mailLanguage?.().catch(() => 'en' as const)) ?? 'en';
  const words = payload.notice ? noticeText(payload.notice, language) : null;
  await transport.sendMail({
    from: settings.mailFrom,
    to,
    subject: `[hanoi247] ${words ? words.subject : payload.kind.replaceAll('_', ' ').toLowerCase()}`,
    text: words
      ? `${words.body}\n\n${words.number}\n`
      : `${payload.message}\n\n${payload.requestId ? `Request ${payload.requestId}\n` : ''}`,
    headers: { 'X-Hanoi247-Notification': payload.id, 'Content-Language': language },
  });
}

export function createNotificationDelivery(database: Database, clock: Clock, settings: DeliverySettings) {
  const { db } = database;
  const maxAttempts = settings.maxAttempts ?? 8;
  const retryBaseMs = settings.retryBaseMs ?? 30_000;
  const leaseMs = settings.leaseMs ?? 120_000;
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const mailer = settings.smtpUrl ? smtpTransport(settings.smtpUrl, timeoutMs) : null;
  // A failure shows on the first send (and its delivery row), not as an unhandled rejection.
  mailer?.catch(() => {});

  async function claim(limit: number): Promise<Claimed[]> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const due = rowsOf<Claimed>(
        await tx.execute(sql`SELECT id, notification_id, channel, target, attempts FROM notification_deliveries
          WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz
          ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`),
      );
      if (due.length > 0) {
        await tx
          .update(notificationDeliveries)
          .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
          .where(
            inArray(
              notificationDeliveries.id,
              due.map((d) => d.id),
            ),
          );
      }
      return due;
    });
  }

  async function send(delivery: Claimed, notification: typeof notifications.$inferSelect): Promise<void> {
    const notice = decodeNotice(notification.message);
    const payload = {
      id: notification.id,
      kind: notification.kind,
      requestId: notification.requestId,
      message: messageText(notification.message, 'en'),
      notice,
      toRole: notification.recipient.startsWith('role:') ? notification.recipient.slice(5) : null,
      createdAt: notification.createdAt.toISOString(),
    };
    if (delivery.channel === 'webhook') {
      if (!settings.webhookSecret) throw new Error('no webhook secret configured');
      const body = JSON.stringify(payload);
      const response = await fetch(delivery.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_DELIVERY_HEADER]: delivery.id,
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(settings.webhookSecret, body, clock.now()),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status >= 300)
        throw new Error(`webhook answered ${response.status}`);
      return;
    }
    if (!mailer) throw new Error('no SMTP server configured');
    await mailNotice(await mailer, settings, delivery.target, payload);
  }

  async function record(delivery: Claimed, error: Error | null): Promise<void> {
    const now = clock.now();
    const attempts = delivery.attempts + 1;
    const status = error === null ? 'delivered' : attempts >= maxAttempts ? 'failed' : 'pending';
    await db.transaction(async (tx) => {
      await tx
        .update(notificationDeliveries)
        .set({
          status,
          attempts,
          lastError: error ? error.message.slice(0, 500) : null,
          deliveredAt: error === null ? now : null,
          nextAttemptAt:
            status === 'pending' ? new Date(now.getTime() + retryDelayMs(attempts, retryBaseMs)) : now,
        })
        .where(eq(notificationDeliveries.id, delivery.id));
      await appendAudit(
        tx,
        {
          actor: SYSTEM,
          action: `notification.${status === 'pending' ? 'retry' : status}`,
          objectType: 'notification',
          objectId: delivery.notification_id,
          payload: { delivery: delivery.id, channel: delivery.channel, attempts },
        },
        now,
      );
    });
  }

  /** Delivers what is due; answers how many deliveries were attempted. */
  async function processDue(limit = 20): Promise<number> {
    const claimed = await claim(limit);
    if (claimed.length === 0) return 0;
    const rows = await db
      .select()
      .from(notifications)
      .where(
        inArray(
          notifications.id,
          claimed.map((c) => c.notification_id),
        ),
      );
    const byId = new Map(rows.map((n) => [n.id, n]));
    for (const delivery of claimed) {
      const notification = byId.get(delivery.notification_id);
      let error: Error | null = null;
      try {
        if (!notification) throw new Error('notification not found');
        await send(delivery, notification);
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      await record(delivery, error);
    }
    return claimed.length;
  }

  async function status(notificationId: string) {
    return db
      .select()
      .from(notificationDeliveries)
      .where(and(eq(notificationDeliveries.notificationId, notificationId)));
  }

  function close(): void {
    mailer?.then(
      (m) => m.close(),
      () => {},
    );
  }

  return { processDue, status, close };
}

export type NotificationDelivery = ReturnType<typeof createNotificationDelivery>;

/** Runs deliveries every `intervalMs` until stopped; errors are logged and the loop goes on. */
export function startDeliveryLoop(
  delivery: NotificationDelivery,
  logger: Logger,
  intervalMs = 5_000,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    delivery
      .processDue()
      .catch((error) => logger.warn({ err: error }, 'notification delivery failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    delivery.close();
  };
}

/** Starts delivering a node's notifications when webhooks or e-mail are configured. */
export function startNotificationDelivery(ctx: {
  database: Database;
  clock: Clock;
  logger: Logger;
  config: Config;
  directory?: { current(): Promise<{ document: DirectoryDocument }> };
}): () => void {
  const { notify, secrets } = ctx.config;
  if (notify.webhookUrls.length === 0 && notify.smtpUrl === null) return () => {};
  const directory = ctx.directory;
  const delivery = createNotificationDelivery(ctx.database, ctx.clock, {
    ...notify,
    webhookSecret: secrets.webhookSecret ?? null,
    mailLanguage: directory
      ? async () => mailLanguageOf((await directory.current()).document, ctx.config.nodeState)
      : undefined,
  });
  return startDeliveryLoop(delivery, ctx.logger);
}

/** The language the node's officers read: the first of its own 24/7 point's (else any authority's). */
export function mailLanguageOf(document: DirectoryDocument, state: string): FormLanguage {
  const authorities = document.parties.find((p) => p.code === state)?.authorities ?? [];
  const ordered = [...authorities].sort(
    (a, b) => Number(b.kind === 'POINT_24_7') - Number(a.kind === 'POINT_24_7'),
  );
  return noticeLanguage(ordered.flatMap((a) => a.languages ?? []));
}
