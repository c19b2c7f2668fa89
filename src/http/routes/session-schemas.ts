import { Type } from '@sinclair/typebox';
import { ROLES } from '../../app/actor.js';

/** The logged-in user, as /auth/me and every login answer describe them. */
export const SessionUserSchema = Type.Object(
  {
    id: Type.String(),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    username: Type.Union([Type.String(), Type.Null()], { description: 'Staff username; null for patients.' }),
    displayName: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false, title: 'SessionUser' },
);

/** A login's answer: the opaque token (for Bearer use) and the user. The cookie is set too. */
export const LoginAnswer = Type.Object(
  {
    token: Type.String({ description: 'Opaque session token; send as Authorization: Bearer.' }),
    user: SessionUserSchema,
  },
  { additionalProperties: false, title: 'LoginAnswer' },
);
