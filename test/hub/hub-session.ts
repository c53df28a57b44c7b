// One test node with the hub cast for a test file, and an API client per cast member (by token).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { client } from '../helpers/http-client.ts';
import { startTestNode, type TestNode } from '../helpers/test-node.ts';
import { type Cast, castHub } from './hub-fixture.ts';

type Who = keyof Cast['users'];

export function hubSession(members: readonly Who[]) {
  const session = { node: null as unknown as TestNode, cast: null as unknown as Cast };
  const tokens: Partial<Record<Who, string>> = {};
  before(async () => {
    session.node = await startTestNode();
    session.cast = await castHub(session.node);
    for (const who of members) tokens[who] = await session.cast.token(who);
  });
  after(() => session.node.close());
  const as = (who: string) => {
    const api = client(session.node.url);
    api.setToken(tokens[who as Who]!);
    return api;
  };
  return {
    session,
    tokens,
    as,
    /** Publishes a scam_campaign alert to the national group as `who` (body overrides); its id. */
    async publish(who: string, body: Record<string, unknown>): Promise<string> {
      const r = await as(who).post('/api/v1/hub/alerts', {
        kind: 'scam_campaign',
        groupId: session.cast.national,
        ...body,
      });
      assert.equal(r.status, 201, r.text);
      return r.body.alert.id as string;
    },
  };
}
