// Who may reach the evidence routes. Each call also checks that the user is an officer of the
// request's case (art. 36): the role opens the door, the case decides what is behind it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../../domain/codes.ts';
import type { EvidenceActor } from '../../../evidence/evidence-deps.ts';

export const EVIDENCE_HANDLERS: readonly Role[] = ['DUTY_OFFICER', 'CENTRAL_AUTHORITY', 'INVESTIGATOR'];
export const EVIDENCE_READERS: readonly Role[] = [...EVIDENCE_HANDLERS, 'APPROVER'];
export const EVIDENCE_APPROVERS: readonly Role[] = ['APPROVER', 'CENTRAL_AUTHORITY'];
export const CUSTODY_READERS: readonly Role[] = [...EVIDENCE_READERS, 'AUDITOR'];

import { errorResponses, ProblemSchema } from '../../schemas.ts';
import { IdParams } from '../requests/request-access.ts';

export { IdParams };

/** The third State of an onward transfer (art. 36). */
export const ThirdState = Type.String({
  minLength: 2,
  maxLength: 2,
  description: 'the third State (ISO 3166 alpha-2)',
});

export function evidenceActor(request: FastifyRequest): EvidenceActor {
  const principal = request.principal!;
  const agent = request.headers['user-agent'];
  return {
    id: principal.userId,
    roles: principal.roles,
    address: request.ip,
    ...(typeof agent === 'string' ? { userAgent: agent.slice(0, 200) } : {}),
  };
}

/** A GET of one thing by id for the evidence readers; the service decides (by case) what the actor sees. */
export function readByIdRoute(
  app: FastifyInstance,
  path: string,
  summary: string,
  read: (id: string, actor: EvidenceActor) => Promise<unknown>,
): void {
  app.get(
    path,
    {
      config: { access: EVIDENCE_READERS },
      schema: {
        tags: ['evidence'],
        summary,
        params: IdParams,
        response: { 200: Type.Unknown(), 404: ProblemSchema, ...errorResponses },
      },
    },
    async (request) => read((request.params as { id: string }).id, evidenceActor(request)),
  );
}
