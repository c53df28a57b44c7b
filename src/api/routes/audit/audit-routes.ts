import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { NodeContext } from '../../../context.ts';
import { errorResponses } from '../../schemas.ts';
import { AUDIT_ENTRY_FIELDS, TreeHead } from './audit-schemas.ts';

const OVERSIGHT = ['AUDITOR', 'ADMIN'] as const;

/** The tamper-evident audit log (RFC 9162 style): entries, signed tree heads, proofs, verification. */
export function auditRoutes(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/audit/entries',
    {
      config: { access: OVERSIGHT },
      schema: {
        tags: ['audit'],
        summary: 'Audit entries in sequence order (hashes only, never personal data)',
        querystring: Type.Object({
          after: Type.Integer({
            minimum: 0,
            default: 0,
            description: 'return entries with seq greater than this',
          }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                ...AUDIT_ENTRY_FIELDS,
                payloadHash: Type.String(),
                leafHash: Type.String(),
                chainHash: Type.String(),
              }),
            ),
            next: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { after, limit } = request.query as { after: number; limit: number };
      const items = await ctx.audit.listEntries(after, limit);
      return { items, next: items.length === limit ? items[items.length - 1]!.seq : null };
    },
  );

  app.get(
    '/api/v1/audit/tree-head',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['audit'],
        summary: 'The current signed tree head (signed now if the log has grown)',
        response: { 200: TreeHead },
      },
    },
    async () => ctx.audit.signTreeHead(),
  );

  app.get(
    '/api/v1/audit/tree-heads',
    {
      config: { access: OVERSIGHT },
      schema: {
        tags: ['audit'],
        summary: 'Signed tree heads, newest first',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }) }),
        response: { 200: Type.Object({ items: Type.Array(TreeHead) }) },
      },
    },
    async (request) => ({ items: await ctx.audit.listTreeHeads((request.query as { limit: number }).limit) }),
  );

  app.get(
    '/api/v1/audit/proofs/inclusion',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['audit'],
        summary: 'Inclusion proof of entry `seq` in the tree of size `treeSize` (RFC 9162 §2.1.3)',
        querystring: Type.Object({
          seq: Type.Integer({ minimum: 1 }),
          treeSize: Type.Integer({ minimum: 1 }),
        }),
        response: {
          200: Type.Object({
            seq: Type.Integer(),
            leafIndex: Type.Integer(),
            treeSize: Type.Integer(),
            leafHash: Type.String(),
            auditPath: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { seq, treeSize } = request.query as { seq: number; treeSize: number };
      return ctx.audit.inclusion(seq, treeSize);
    },
  );

  app.get(
    '/api/v1/audit/proofs/consistency',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['audit'],
        summary: 'Consistency proof between tree sizes `first` and `second` (RFC 9162 §2.1.4)',
        querystring: Type.Object({
          first: Type.Integer({ minimum: 1 }),
          second: Type.Integer({ minimum: 1 }),
        }),
        response: {
          200: Type.Object({
            first: Type.Integer(),
            second: Type.Integer(),
            consistencyPath: Type.Array(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { first, second } = request.query as { first: number; second: number };
      return ctx.audit.consistency(first, second);
    },
  );

  app.post(
    '/api/v1/audit/verify',
    {
      config: { access: OVERSIGHT },
      schema: {
        tags: ['audit'],
        summary:
          'Verify the whole log now: leaves, hash chain, signed tree heads, and the checkpoints its witnesses cosigned',
        description:
          "The witnesses are asked for the newest checkpoint of this log they cosigned; with those this node kept, the log must reach each one and hash to its root there. A log cut below one names TRUNCATED, a log rewritten under one WITNESS_MISMATCH. The log's state must also carry the seal of the node's key secret (sealChecked): a change by someone without the secret, such as entries appended after the newest checkpoint, names FORGED.",
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            treeHeadsChecked: Type.Integer(),
            rootHash: Type.String(),
            firstProblem: Type.Union([
              Type.Object({ seq: Type.Integer(), kind: Type.String(), message: Type.String() }),
              Type.Null(),
            ]),
            sealChecked: Type.Boolean(),
            witnessed: Type.Object({
              checkpoints: Type.Array(
                Type.Object({ size: Type.Integer(), rootHash: Type.String(), source: Type.String() }),
              ),
              unreachable: Type.Array(Type.String()),
            }),
          }),
        },
      },
    },
    async () => ctx.witnessing.verify(),
  );
}
