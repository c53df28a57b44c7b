import type { Logger } from 'pino';
import { type App, buildApp } from './api/app.ts';
import { ensureAuditState, type SealStatus, sealAuditLog } from './audit/audit-log.ts';
import { deriveAuditSealKey, enableAuditSeal } from './audit/audit-seal.ts';
import { createAuditService } from './audit/audit-service.ts';
import { createAuditWitnessing } from './audit/audit-witnessing.ts';
import { createAccountService } from './auth/account-service.ts';
import { createAuthService } from './auth/auth-service.ts';
import { createUserService } from './auth/user-service.ts';
import type { Config } from './config.ts';
import type { NodeContext } from './context.ts';
import { createDirectoryService } from './directory/directory-service.ts';
import { createEvidenceService } from './evidence/evidence-service.ts';
import { exerciseClockPort } from './exercises/exercise-clock-port.ts';
import { createExerciseService, exerciseGate } from './exercises/exercise-service.ts';
import {
  createFederationService,
  type FederationOptions,
  type FederationService,
  resolveFederationOptions,
} from './federation/federation-service.ts';
import { createOutboxHook } from './federation/outbox-hook.ts';
import { createHubService } from './hub/hub-service.ts';
import { unlockAhead } from './node-identity/kdf-hint.ts';
import { createKeySet, hasKeys, type Keyring, loadKeyring } from './node-identity/keyring.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { replicaChangeApplier } from './replicas/apply-replica-changes.ts';
import { openReplicaFeed } from './replicas/replica-feed.ts';
import { createRemoteRequestChanges } from './replicas/request-changes.ts';
import { createNodeReports } from './reports/node-reports.ts';
import { createRegionalReports, REPORT_MESSAGE } from './reports/regional-reports.ts';
import { createReportSchedule } from './reports/report-schedule.ts';
import { startNotificationDelivery, targetsOf } from './requests/notification-delivery.ts';
import { createRequestService } from './requests/request-service.ts';
import { startTimerLoop } from './requests/request-timers.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { type Database, openDatabase } from './store/database.ts';

export type StartOptions = {
  clock?: Clock;
  logger?: Logger;
  /** An already opened database (tests), left open at close; otherwise opened from the config. */
  database?: Database;
  /**
   * The node's own storage, already being opened from the config (see `hanoi247 serve`: PGlite starts
   * while the rest of the node loads); closed with the node like storage opened here.
   */
  opening?: Promise<Database>;
  /** Make keys on first start when none exist (demo and tests); a production node runs `hanoi247 init`. */
  createKeysIfMissing?: boolean;
  /** Run before the HTTP server opens, e.g. the demo seed. */
  beforeListen?: (ctx: NodeContext) => Promise<void>;
  listen?: boolean;
  /** Federation timings and limits (tests shorten the backoff). */
  federation?: Partial<FederationOptions>;
  /**
   * Background work (the loops below, whose first rounds read tables PGlite has not touched yet: some
   * 50-250 ms of queries ahead of any request) starts once the HTTP server has answered its first
   * request, such as the readiness check a process manager sends, or a second after it listens when
   * nobody asks (`hanoi247 serve` only). Otherwise it starts as the node listens (tests, the demo).
   */
  backgroundAfterFirstAnswer?: boolean;
};

/** When nobody asks: background work starts this long after the node listens (backgroundAfterFirstAnswer). */
const BACKGROUND_FALLBACK_MS = 1_000;

export type RunningNode = {
  ctx: NodeContext;
  app: App;
  url: string;
  /** Resolves once the background work has started (at once, or see backgroundAfterFirstAnswer). */
  background: Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** Opens storage, applies migrations and returns the services of a node, without HTTP. */
export async function openNodeContext(config: Config, options: StartOptions = {}): Promise<NodeContext> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  // The keys of an embedded node are derived while its database boots (see kdf-hint.ts); a caller
  // that opens the storage itself (`hanoi247 serve`) started that before its own imports.
  if (!options.database && !options.opening && !config.databaseUrl && config.dataDir)
    unlockAhead(config.dataDir, config.secrets.keySecret);
  const database =
    options.database ??
    (await (options.opening ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })));
  try {
    await database.migrate();
    await ensureAuditState(database.db);
    // The audit log is sealed with a key from the secret, which the database never holds: from here on
    // every append checks and renews the seal (src/audit/audit-seal.ts).
    if (config.secrets.keySecret) enableAuditSeal(database.db, deriveAuditSealKey(config.secrets.keySecret));
    const keysExisted = await hasKeys(database);
    if (!keysExisted && options.createKeysIfMissing) {
      if (!config.secrets.keySecret) throw new Error('HANOI247_KEY_SECRET is needed to create node keys');
      await sealAuditLog(database.db, clock.now(), false);
      await createKeySet(database.db, config.secrets.keySecret, clock, 'system');
      logger.info('created the node keys');
    }
    // Opened before any in-memory state is loaded: a change another replica commits meanwhile is replayed, not lost.
    const replicaFeed = await openReplicaFeed(database, logger);
    const remoteRequests = createRemoteRequestChanges(database, clock, config.requestPolicy?.deadlines);
    // The keys are unlocked (scrypt, on libuv's threads) while the hub loads its indexes below; what
    // signs or opens messages is made once they are.
    // An embedded node's own folder (not a database a test passed in) keeps the hint for the next start.
    const hintDir =
      database.kind === 'pglite' && database.location === config.dataDir ? config.dataDir : undefined;
    const unlocking = loadKeyring(database, config.secrets.keySecret, clock, hintDir);
    unlocking.catch(() => {});
    const metrics = createMetrics();
    const auth = createAuthService(database, clock, config);
    const directory = createDirectoryService(database, clock, {
      publisherKeys: config.directoryPublisherKeys,
      url: config.directoryUrl,
      refreshMinutes: config.directoryRefreshMinutes,
    });
    const federationOptions = resolveFederationOptions(options.federation);
    let federation: FederationService | null = null;
    const outboxHook = createOutboxHook(federationOptions);
    const exercises = createExerciseService({
      database,
      clock,
      requests: () => requests,
      directory,
      nodeState: config.nodeState,
      federation: { lifetimeMs: federationOptions.lifetimeMs, nudge: () => federation?.sender.nudge() },
    });
    const requests = createRequestService(database, clock, directory, {
      nodeState: config.nodeState,
      nodeSecret: config.secrets.keySecret,
      // An exercise step is recorded for its score; towards a simulated partner it sends nothing.
      transitionHook: async (tx, change) => {
        if (await exercises.recordTransition(tx, change)) await outboxHook(tx, change);
      },
      exercises: exerciseClockPort,
      deliveryTargets: targetsOf(config.notify),
      deadlinePolicy: config.requestPolicy?.deadlines,
      preservationPolicy: config.requestPolicy?.preservation,
      // After the commit: the partner's message leaves now, and an exercise's live screens see its new score.
      afterTransition: (request) => {
        federation?.sender.nudge();
        if (request.exerciseId) exercises.notifyChanged(request.exerciseId);
      },
    });
    const hub = await createHubService(database, clock, {
      onListenerError: (err) => logger.warn({ err }, 'hub subscriber failed'),
      sweepMs: config.hubSweepSeconds * 1000,
      federation: {
        nodeState: config.nodeState,
        lifetimeMs: federationOptions.lifetimeMs,
        nudge: () => federation?.sender.nudge(),
      },
    });
    let keyring: Keyring;
    try {
      keyring = await unlocking;
    } catch (error) {
      await hub.stop();
      throw error;
    }
    // Only now that the secret has unlocked the keys: a wrong one must not seal a log written before.
    reportSeal(await sealAuditLog(database.db, clock.now(), true), logger);
    const witnessing = createAuditWitnessing({
      database,
      clock,
      keyring,
      nodeState: config.nodeState,
      logger,
      metrics,
    });
    // Before anything signs: a log cut or rewritten below what the witnesses cosigned is not signed over.
    void witnessing.guard.check();
    federation = createFederationService(
      {
        database,
        clock,
        directory,
        keyring,
        nodeState: config.nodeState,
        requests,
        logger,
        senderCheckpoint: witnessing.witness.witnessedNote,
        keepReceiptCheckpoint: witnessing.keepFromReceipt,
        exerciseGate,
      },
      federationOptions,
    );
    // Alerts of sharing groups shared with other nodes arrive as 'alert' messages.
    federation.registerHandler('alert', (tx, header, body) => hub.federation.apply(tx, header.from, body));
    federation.registerHandler('alert_feedback', (tx, header, body) =>
      hub.federation.applyFeedback(tx, header.from, body),
    );
    // Exercise traffic that is not a request step: alerts shared inside an exercise, the controller's clock.
    federation.registerHandler('exercise_alert', exercises.receiveAlert);
    federation.registerHandler('exercise_clock', exercises.receiveClock);
    // The controller's end, and the final scores the joined nodes send back when they archive.
    federation.registerHandler('exercise_end', exercises.receiveEnd);
    federation.registerHandler('exercise_score', exercises.receiveScore);
    // Consent to the onward transfer of evidence (art. 36) is asked and answered over federation.
    const evidence = createEvidenceService(
      { database, clock, keyring, config },
      { federation: { lifetimeMs: federationOptions.lifetimeMs, nudge: () => federation?.sender.nudge() } },
    );
    federation.registerHandler('evidence_consent_request', (tx, header, body) =>
      evidence.consents.receiveRequest(tx, header.from, body),
    );
    federation.registerHandler('evidence_consent_answer', (tx, header, body) =>
      evidence.consents.receiveAnswer(tx, header.from, body),
    );
    // A regional hub keeps its members' released reports (checked against their signature) for the aggregate.
    const regional = createRegionalReports({
      database,
      clock,
      keyring,
      nodeState: config.nodeState,
      region: config.reportRegion ?? null,
    });
    federation.registerHandler(REPORT_MESSAGE, (tx, header, body, document) =>
      regional.receive(tx, header.from, body, document),
    );
    return {
      config,
      database,
      clock,
      logger,
      metrics,
      keyring,
      auth,
      users: createUserService(database, clock, { onAccessChanged: auth.forgetUser }),
      accounts: createAccountService(database, clock, { onAccessChanged: auth.forgetUser }),
      directory,
      audit: createAuditService(database, clock, keyring, config.nodeState, witnessing.guard),
      witnessing,
      requests: remoteRequests.withRemoteChanges(requests),
      federation,
      hub,
      evidence,
      exercises,
      replicas: { feed: replicaFeed, requests: remoteRequests },
    };
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
}

function reportSeal(status: SealStatus, logger: Logger): void {
  if (status === 'adopted')
    logger.warn(
      'sealed the audit log with the node key secret for the first time (an audit.log_sealed entry records it): entries written before are vouched for by the signed tree heads and the witnesses only',
    );
  // 'forged' is said loudly by the witness guard, which refuses to sign; appends refuse too.
}

/** Starts a node: storage, services, background work and the HTTP API. */
export async function startNode(config: Config, options: StartOptions = {}): Promise<RunningNode> {
  const started = performance.now();
  const ctx = await openNodeContext(config, options);
  let app: App;
  try {
    await options.beforeListen?.(ctx);
    app = await buildApp(ctx);
    if (options.listen !== false) await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    if (!options.database) await ctx.database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  // Tree heads are signed in the background too, so an auditor always finds a recent one.
  // Each new one goes to the witnesses as a checkpoint. A log that contradicts its witnesses is not
  // signed: the guard has said so loudly once, and the timer stays quiet after that.
  const timer = setInterval(() => {
    ctx.audit
      .signTreeHead()
      .then((head) => ctx.witnessing.publisher.publish(head))
      .catch((error) => {
        if ((error as { code?: string }).code !== 'ERR_AUDIT_DIVERGED')
          ctx.logger.warn({ err: error }, 'could not sign the audit tree head');
      });
  }, config.treeHeadIntervalSeconds * 1000);
  timer.unref();
  // Evidence past its retention period is deleted hourly; its tombstone stays in the audit log.
  const retentionTimer = setInterval(() => {
    ctx.evidence.retention
      .sweep()
      .catch((error) => ctx.logger.warn({ err: error }, 'evidence retention sweep failed'));
  }, 3_600_000);
  retentionTimer.unref();
  // At once, not with the background work: a session another replica revoked must not be let in.
  ctx.replicas?.feed.start(
    replicaChangeApplier({
      database: ctx.database,
      hub: ctx.hub,
      auth: ctx.auth,
      requests: ctx.replicas.requests,
    }),
  );
  let stopBackground: (() => void) | null = null;
  let backgroundStarted!: () => void;
  const background = new Promise<void>((resolve) => {
    backgroundStarted = resolve;
  });
  let closed = false;
  const startBackground = () => {
    if (stopBackground || closed) return;
    stopBackground = startBackgroundWork(ctx);
    backgroundStarted();
  };
  let fallback: NodeJS.Timeout | undefined;
  const afterFirstAnswer = (_request: unknown, response: NodeJS.EventEmitter) => {
    response.once('close', startBackground);
  };
  if (options.backgroundAfterFirstAnswer && options.listen !== false) {
    app.server.once('request', afterFirstAnswer);
    fallback = setTimeout(startBackground, BACKGROUND_FALLBACK_MS);
  } else startBackground();
  ctx.logger.info(
    {
      url,
      storage: ctx.database.kind,
      location: ctx.database.location,
      ms: Math.round(performance.now() - started),
    },
    'node ready',
  );
  // Scheduled implementation reports (HANOI247_REPORT_SCHEDULE): built once a period is over.
  const reportSchedule = config.reportSchedule
    ? createReportSchedule({
        database: ctx.database,
        clock: ctx.clock,
        reports: createNodeReports(ctx),
        schedule: config.reportSchedule,
      })
    : null;
  reportSchedule?.start((error) => ctx.logger.warn({ err: error }, 'scheduled report failed'));
  const close = async () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    clearInterval(retentionTimer);
    clearTimeout(fallback);
    app.server.off('request', afterFirstAnswer);
    stopBackground?.();
    await reportSchedule?.stop();
    await ctx.federation.stop();
    // Drain: no new connections, calls in flight may finish; after most of the shutdown time the
    // connections still open (a stalled upload, a slow call) are cut so that the server can close.
    const cut = setTimeout(() => app.server.closeAllConnections(), config.shutdownSeconds * 600);
    // A keep-alive connection whose call finishes during the drain is closed as soon as it is idle,
    // not at the cut (a peer sending evidence chunks on several connections kept the node up 12 s).
    const idle = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close();
    } finally {
      clearTimeout(cut);
      clearInterval(idle);
    }
    await ctx.replicas?.feed.stop();
    await ctx.hub.stop();
    ctx.evidence.close();
    if (!options.database) await ctx.database.close();
  };
  return { ctx, app, url, background, close, [Symbol.asyncDispose]: close };
}

/** The loops a running node keeps: request timers, exercise injects, notifications, federation, privacy tables. */
function startBackgroundWork(ctx: NodeContext): () => void {
  const stopRequestTimers = startTimerLoop(ctx.requests, ctx.logger);
  const stopExercises = ctx.exercises.startLoop((err) => ctx.logger.warn({ err }, 'exercise injects failed'));
  const stopDeliveries = startNotificationDelivery(ctx);
  ctx.federation.start();
  // Not awaited: exact checks are answered while the privacy-mode tables of groups are rebuilt.
  void ctx.hub.privacyWarmup.start();
  // The federation is stopped by the node's close in any case (its sender may run rounds by hand).
  return () => {
    stopRequestTimers();
    stopExercises();
    stopDeliveries();
  };
}
