import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per node, so several nodes in one process (tests, the demo network) keep apart. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'hanoi247_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'hanoi247_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    auditAppends: new Counter({
      name: 'hanoi247_audit_tree_heads_signed_total',
      help: 'Signed tree heads',
      registers: [registry],
    }),
    auditWitnessDiverged: new Gauge({
      name: 'hanoi247_audit_witness_diverged',
      help: '1 while this node refuses to sign its audit log because it contradicts what its witnesses cosigned',
      registers: [registry],
    }),
    auditWitnessForks: new Counter({
      name: 'hanoi247_audit_witness_forks_total',
      help: "Forks seen as a witness: two checkpoints of a partner's audit log that cannot both be true",
      labelNames: ['node'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
