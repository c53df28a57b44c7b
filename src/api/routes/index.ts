import type { FastifyInstance } from 'fastify';
import type { NodeContext } from '../../context.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { witnessAdminRoutes } from './audit/witness-admin-routes.ts';
import { accountRoutes } from './auth/account-routes.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { directoryRoutes } from './directory/directory-routes.ts';
import { legalBasisRoutes } from './directory/legal-basis-routes.ts';
import { evidenceRoutes } from './evidence/evidence-routes.ts';
import { exerciseRoutes } from './exercises/exercise-routes.ts';
import { exerciseSampleRoutes } from './exercises/exercise-samples.ts';
import { federationRoutes } from './federation/federation-routes.ts';
import { hubRoutes } from './hub/hub-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { requestRoutes } from './requests/request-routes.ts';
import { healthRoutes } from './system/health.ts';
import { nodeRoutes } from './system/node-routes.ts';
import { problemRoutes } from './system/problem-routes.ts';
import { taxiiRoutes } from './taxii/taxii-routes.ts';
import { userRoutes } from './users/user-routes.ts';
import { webRoutes } from './web/web-routes.ts';

/** Every route of the API, one file per capability. */
export async function registerRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  healthRoutes(app, ctx);
  nodeRoutes(app, ctx);
  problemRoutes(app, ctx);
  authRoutes(app, ctx);
  userRoutes(app, ctx);
  accountRoutes(app, ctx);
  directoryRoutes(app, ctx);
  legalBasisRoutes(app, ctx);
  auditRoutes(app, ctx);
  witnessAdminRoutes(app, ctx);
  await hubRoutes(app, ctx);
  await taxiiRoutes(app, ctx);
  requestRoutes(app, ctx);
  reportRoutes(app, ctx);
  exerciseRoutes(app, ctx);
  exerciseSampleRoutes(app, ctx);
  await federationRoutes(app, ctx);
  await evidenceRoutes(app, ctx);
  webRoutes(app, ctx);
}
