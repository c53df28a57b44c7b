// Schemas shared by several routes.
import { Type } from 'typebox';
import { ROLES } from '../domain/codes.ts';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), message: Type.String(), article: Type.Optional(Type.String()) }),
      ),
    ),
  },
  { additionalProperties: true },
);

export const PublicUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  disabled: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String(),
});

/** The usual error answers, for the OpenAPI page. */
export const errorResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
};

/** The query fields of a cursor-paginated list: `limit` items after the `next` cursor of the last page. */
export const pageQuery = (
  after = Type.String({ description: 'the `next` cursor of the previous page' }),
) => ({
  after: Type.Optional(after),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});

/** A page of a list and the cursor of the next one (null on the last page), with the error answers. */
export const pageResponses = {
  200: Type.Object({
    items: Type.Array(Type.Unknown()),
    next: Type.Union([Type.String(), Type.Null()]),
  }),
  ...errorResponses,
};
