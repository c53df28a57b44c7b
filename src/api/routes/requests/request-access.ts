// Who may reach the request routes; each transition also checks its own roles (domain lifecycle).
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../domain/codes.ts';
import type { RequestActor } from '../../../requests/request-service.ts';

export const REQUEST_READERS: readonly Role[] = [
  'DUTY_OFFICER',
  'CENTRAL_AUTHORITY',
  'INVESTIGATOR',
  'APPROVER',
  'AUDITOR',
];
export const REQUEST_WRITERS: readonly Role[] = ['DUTY_OFFICER', 'CENTRAL_AUTHORITY', 'INVESTIGATOR'];
export const REQUEST_ACTORS: readonly Role[] = [
  'DUTY_OFFICER',
  'CENTRAL_AUTHORITY',
  'INVESTIGATOR',
  'APPROVER',
];

export const IdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export function actorOf(request: FastifyRequest): RequestActor {
  const principal = request.principal!;
  return { id: principal.userId, roles: principal.roles };
}
