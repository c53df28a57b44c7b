// A TAXII client that pages a collection as a polling client does, shared by the paging tests (one
// node, test/taxii/taxii-keyset.test.ts; two replicas, test/federation/replica-taxii-paging.test.ts).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { client } from '../helpers/http-client.ts';

export const TAXII = 'application/taxii+json;version=2.1';
export type Endpoint = 'objects' | 'manifest';
type Api = ReturnType<typeof client>;
/** `versions`: each entry's id and version ("id version"). */
export type Page = { ids: string[]; versions: string[]; more: boolean; next?: string; last: string | null };
/** What a crawl collects of each entry: its id, or its id and version. */
export type By = 'ids' | 'versions';

export const identity = () => ({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${randomUUID()}`,
  created: '2026-03-01T08:00:00.000Z',
  modified: '2026-03-01T08:00:00.000Z',
  name: 'a source',
  identity_class: 'organization',
});

/** Adds `count` new identities to the collection through `api`. */
export async function addIdentities(api: Api, collection: string, count: number): Promise<void> {
  const objects = Array.from({ length: count }, identity);
  const reply = await api.call('POST', `${collection}objects/`, JSON.stringify({ objects }), {
    accept: TAXII,
    'content-type': TAXII,
  });
  assert.equal(reply.status, 202, reply.text);
  assert.equal(reply.body.success_count, count);
}

const run = randomUUID().slice(0, 8);
let published = 0;

/**
 * Publishes a GREEN alert with `indicators` new domains (or phone numbers) to the group through the
 * alert API; its id.
 */
export async function publishAlert(
  api: Api,
  groupId: string,
  indicators: number,
  type: 'domain' | 'phone' = 'domain',
): Promise<string> {
  const n = published++;
  const reply = await api.post('/api/v1/hub/alerts', {
    kind: 'scam_campaign',
    title: `paging ${n}`,
    confidence: 50,
    tlp: 'GREEN',
    groupId,
    indicators: Array.from({ length: indicators }, (_, i) => ({
      type,
      value:
        type === 'phone'
          ? `+849${String(Number.parseInt(run.slice(0, 4), 16) * 1000 + n * 10 + i).padStart(8, '0')}`
          : `p${run}-${n}-${i}.example`,
    })),
  });
  assert.equal(reply.status, 201, reply.text);
  return reply.body.alert.id;
}

/** One page of the collection's objects or manifest, read through `api`. */
export async function taxiiPage(
  api: Api,
  collection: string,
  endpoint: Endpoint,
  query: string,
): Promise<Page> {
  const reply = await api.call('GET', `${collection}${endpoint}/?${query}`, undefined, { accept: TAXII });
  assert.equal(reply.status, 200, reply.text);
  assert.equal(reply.headers.get('content-type'), TAXII);
  const objects = (reply.body.objects ?? []) as {
    id: string;
    version?: string;
    modified?: string;
    created?: string;
  }[];
  return {
    ids: objects.map((o) => o.id),
    // A manifest entry's version; an object's is its modified (or created) time.
    versions: objects.map(
      (o) => `${o.id} ${endpoint === 'manifest' ? o.version : (o.modified ?? o.created)}`,
    ),
    more: reply.body.more === true,
    next: reply.body.next as string | undefined,
    last: reply.headers.get('x-taxii-date-added-last'),
  };
}

/** Every object id (or id and version) of the collection, by next at the largest page. */
export async function everything(
  page: (endpoint: Endpoint, query: string) => Promise<Page>,
  by: By = 'ids',
): Promise<string[]> {
  const ids: string[] = [];
  let query = 'limit=1000';
  for (;;) {
    const p = await page('manifest', query);
    ids.push(...p[by]);
    if (!p.more) return ids;
    if (p.next) query = `limit=1000&next=${encodeURIComponent(p.next)}`;
  }
}

/**
 * Crawls until the writers are done and a page says no more; the n-th page is read by page(n, …). A
 * `next` crawl that reaches the end while writers still run goes on by added_after from the last date
 * it saw, as a polling client does.
 */
export async function crawl(
  page: (n: number, endpoint: Endpoint, query: string) => Promise<Page>,
  endpoint: Endpoint,
  style: 'next' | 'added_after',
  writing: () => boolean,
  limit = 5,
  by: By = 'ids',
): Promise<string[]> {
  const ids: string[] = [];
  let last: string | null = null;
  let query = `limit=${limit}`;
  for (let n = 0; n < 10_000; n++) {
    const done = !writing();
    const p = await page(n, endpoint, query);
    ids.push(...p[by]);
    last = p.last ?? last;
    if (!p.more && done) return ids;
    if (style === 'next' && p.more && p.next) query = `limit=${limit}&next=${encodeURIComponent(p.next)}`;
    else if (p.ids.length > 0 || !p.more)
      query = last ? `limit=${limit}&added_after=${encodeURIComponent(last)}` : `limit=${limit}`;
  }
  assert.fail('the crawl did not end');
}

/** Asserts that a crawl read every object of the collection exactly once. */
export function assertEachOnce(ids: string[], all: string[], what: string): void {
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(twice, [], `${what}: no object twice`);
  const missed = all.filter((id) => !ids.includes(id));
  assert.deepEqual(missed, [], `${what}: no object missed`);
  assert.equal(ids.length, all.length);
}

/**
 * Asserts that a crawl read each version of an object at most once and the last version of every
 * object of the collection (`all`: "id version"); an object changed while it was crawled is read
 * again at its new version.
 */
export function assertEachVersionOnce(read: string[], all: string[], what: string): void {
  const twice = read.filter((v, i) => read.indexOf(v) !== i);
  assert.deepEqual(twice, [], `${what}: no version twice`);
  const missed = all.filter((v) => !read.includes(v));
  assert.deepEqual(missed, [], `${what}: no last version missed`);
  const ids = new Set(all.map((v) => v.split(' ')[0]));
  const strays = read.filter((v) => !ids.has(v.split(' ')[0]));
  assert.deepEqual(strays, [], `${what}: nothing that is not in the collection`);
}
