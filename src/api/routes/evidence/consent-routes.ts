// Consent to onward transfer (art. 36): the receiving State's officer asks the originating State,
// the originating State's officer answers; both travel over federation.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { CONSENT_DECISIONS } from '../../../domain/evidence/index.ts';
import { errorResponses, ProblemSchema } from '../../schemas.ts';
import {
  EVIDENCE_APPROVERS,
  EVIDENCE_HANDLERS,
  evidenceActor,
  IdParams,
  readByIdRoute,
  ThirdState,
} from './evidence-access.ts';

type Id = { id: string };

export async function consentRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const { consents } = ctx.evidence;

  app.post(
    '/api/v1/evidence/packages/:id/consents',
    {
      config: { access: EVIDENCE_HANDLERS },
      schema: {
        tags: ['evidence'],
        summary: 'Ask the originating State to consent to passing a received package on to a third State',
        description:
          'The request travels to the State that sealed the package; its answer comes back over federation. Until it is granted, a handover to that State is refused with ERR_EVIDENCE_CONSENT_REQUIRED.',
        params: IdParams,
        body: Type.Object(
          {
            toState: ThirdState,
            purpose: Type.String({ minLength: 1, maxLength: 2000, description: 'why it should go there' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await consents.ask((request.params as Id).id, evidenceActor(request), request.body as never)),
  );

  readByIdRoute(
    app,
    '/api/v1/evidence/packages/:id/consents',
    'Consents asked about a package: by this node (OUT) or of this node (IN)',
    (id, actor) => consents.list(id, actor),
  );

  app.post(
    '/api/v1/evidence/consents/:id/answer',
    {
      config: { access: EVIDENCE_APPROVERS },
      schema: {
        tags: ['evidence'],
        summary:
          'Grant or refuse a consent the receiving State asked of this node (sent back over federation)',
        params: IdParams,
        body: Type.Object(
          {
            decision: Type.Union(CONSENT_DECISIONS.map((d) => Type.Literal(d))),
            reason: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), 404: ProblemSchema, 409: ProblemSchema, ...errorResponses },
      },
    },
    async (request) =>
      consents.answer((request.params as Id).id, evidenceActor(request), request.body as never),
  );
}
