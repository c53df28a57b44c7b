// The request types and their schemas, fetched once per page load (they change only with the node).
import { get } from './client.ts';
import type { RequestTypeInfo } from './types.ts';

let cached: Promise<RequestTypeInfo[]> | null = null;

export function loadRequestTypes(): Promise<RequestTypeInfo[]> {
  cached ??= get<RequestTypeInfo[]>('/api/v1/request-types').catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

/** The fields of a request in the order its schema lists them; fields the schema lacks come last. */
export function inSchemaOrder(body: Record<string, unknown>, info: RequestTypeInfo | undefined): string[] {
  const order = Object.keys(info?.schema.properties ?? {});
  const known = order.filter((k) => k in body);
  return [...known, ...Object.keys(body).filter((k) => !order.includes(k))];
}
