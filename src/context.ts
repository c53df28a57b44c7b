import type { Logger } from 'pino';
import type { AuditService } from './audit/audit-service.ts';
import type { AuditWitnessing } from './audit/audit-witnessing.ts';
import type { AccountService } from './auth/account-service.ts';
import type { AuthService } from './auth/auth-service.ts';
import type { UserService } from './auth/user-service.ts';
import type { Config } from './config.ts';
import type { DirectoryService } from './directory/directory-service.ts';
import type { EvidenceService } from './evidence/evidence-service.ts';
import type { ExerciseService } from './exercises/exercise-service.ts';
import type { FederationService } from './federation/federation-service.ts';
import type { HubService } from './hub/hub-service.ts';
import type { Keyring } from './node-identity/keyring.ts';
import type { Metrics } from './observability/metrics.ts';
import type { ReplicaFeed } from './replicas/replica-feed.ts';
import type { RemoteRequestChanges } from './replicas/request-changes.ts';
import type { RequestService } from './requests/request-service.ts';
import type { Clock } from './shared/clock.ts';
import type { Database } from './store/database.ts';

/** Everything a node is made of, built once by startNode (or by a test) and passed down. */
export type NodeContext = {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  keyring: Keyring;
  auth: AuthService;
  users: UserService;
  accounts: AccountService;
  directory: DirectoryService;
  audit: AuditService;
  witnessing: AuditWitnessing;
  hub: HubService;
  requests: RequestService;
  federation: FederationService;
  evidence: EvidenceService;
  /** Joint exercises (issue #18): kept apart from real work by their exercise id. */
  exercises: ExerciseService;
  /** Other replicas' committed changes (PostgreSQL; a no-op on PGlite), started by startNode. */
  replicas?: { feed: ReplicaFeed; requests: RemoteRequestChanges };
};
