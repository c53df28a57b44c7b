// GET /api/v1/requests/:id/record: the evidence behind a request's timeline, for the desk. The messages
// exchanged with the partner node and their signed receipts (never the messages' content), and each
// audit entry of the request and of its messages with an inclusion proof in the current signed tree
// head, so the reader can check for themself that the log holds them.
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { loadLeafHashes } from '../../../audit/verify-audit.ts';
import type { NodeContext } from '../../../context.ts';
import { inclusionProof } from '../../../crypto/merkle.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { auditEntries, federationInbox, federationOutbox, requests } from '../../../store/schema/index.ts';
import { errorResponses } from '../../schemas.ts';
import { AUDIT_ENTRY_FIELDS, TreeHead } from '../audit/audit-schemas.ts';
import { REQUEST_READERS } from './request-access.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A part of a compact JWS (0: header, 1: claims), unverified: the sender checked it on arrival. */
export function jwsPart(jws: string, index: 0 | 1): Record<string, unknown> | null {
  const part = jws.split('.')[index];
  if (!part) return null;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
  } catch {
    return null;
  }
}

const Message = Type.Object({
  id: Type.String(),
  direction: Type.Union([Type.Literal('sent'), Type.Literal('received')]),
  peer: Type.String(),
  type: Type.String(),
  seq: Type.Union([Type.Integer(), Type.Null()]),
  at: Type.String(),
  status: Type.String(),
  payloadSha256: Type.Union([Type.String(), Type.Null()]),
  receipt: Type.Union([
    Type.Object({
      jws: Type.String({ description: 'compact JWS (EdDSA) signed by the receiving node' }),
      receivedAt: Type.Union([Type.String(), Type.Null()]),
      receiver: Type.Union([Type.String(), Type.Null()]),
      kid: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

const Entry = Type.Object({
  ...AUDIT_ENTRY_FIELDS,
  leafHash: Type.String(),
  leafIndex: Type.Integer(),
  auditPath: Type.Array(Type.String()),
});

export function requestRecordRoute(app: FastifyInstance, ctx: NodeContext): void {
  app.get(
    '/api/v1/requests/:id/record',
    {
      config: { access: REQUEST_READERS },
      schema: {
        tags: ['requests'],
        summary:
          'Messages exchanged about a request with their signed receipts, and its audit entries with inclusion proofs in the signed tree head',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Type.Object({
            messages: Type.Array(Message),
            treeHead: TreeHead,
            entries: Type.Array(Entry),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { db } = ctx.database;
      if (!UUID.test(id)) throw new NotFoundError('Request', id);
      const [found] = await db.select({ id: requests.id }).from(requests).where(eq(requests.id, id));
      if (!found) throw new NotFoundError('Request', id);

      const sent = await db
        .select()
        .from(federationOutbox)
        .where(eq(federationOutbox.requestId, id))
        .orderBy(asc(federationOutbox.createdAt));
      const received = await db
        .select()
        .from(federationInbox)
        .where(eq(federationInbox.requestId, id))
        .orderBy(asc(federationInbox.receivedAt));
      const receiptOf = (jws: string | null) => {
        if (!jws) return null;
        const claims = jwsPart(jws, 1);
        const header = jwsPart(jws, 0);
        return {
          jws,
          receivedAt: typeof claims?.receivedAt === 'string' ? claims.receivedAt : null,
          receiver: typeof claims?.receiver === 'string' ? claims.receiver : null,
          kid: typeof header?.kid === 'string' ? header.kid : null,
        };
      };
      const messages = [
        ...sent.map((m) => ({
          id: m.id,
          direction: 'sent' as const,
          peer: m.recipient,
          type: m.messageType,
          seq: m.seq,
          at: (m.sentAt ?? m.createdAt).toISOString(),
          status: m.status,
          payloadSha256: m.payloadSha256,
          receipt: receiptOf(m.receipt),
        })),
        ...received.map((m) => ({
          id: m.messageId,
          direction: 'received' as const,
          peer: m.sender,
          type: m.messageType,
          seq: m.seq,
          at: m.receivedAt.toISOString(),
          status: 'received',
          payloadSha256: m.payloadSha256,
          receipt: receiptOf(m.receipt),
        })),
      ].sort((a, b) => a.at.localeCompare(b.at));

      const messageIds = messages.map((m) => m.id);
      const rows = await db
        .select()
        .from(auditEntries)
        .where(
          or(
            and(eq(auditEntries.objectType, 'request'), eq(auditEntries.objectId, id)),
            messageIds.length > 0
              ? and(
                  eq(auditEntries.objectType, 'federation_message'),
                  inArray(auditEntries.objectId, messageIds),
                )
              : undefined,
          ),
        )
        .orderBy(asc(auditEntries.seq));
      const treeHead = await ctx.audit.signTreeHead();
      // One read of the leaves serves every proof of this request.
      const leaves = rows.length > 0 ? await loadLeafHashes(db, treeHead.treeSize) : [];
      const entries = rows
        .filter((r) => r.seq <= treeHead.treeSize)
        .map((r) => ({
          seq: r.seq,
          at: r.at.toISOString(),
          actor: r.actor,
          action: r.action,
          objectType: r.objectType,
          objectId: r.objectId,
          leafHash: r.leafHash,
          leafIndex: r.seq - 1,
          auditPath: inclusionProof(r.seq - 1, leaves).map((h) => h.toString('hex')),
        }));
      return { messages, treeHead, entries };
    },
  );
}
