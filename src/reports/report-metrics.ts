// Prometheus gauges for the live indicators: the totals of the current quarter (small counts left
// out, as in a report: /metrics is public) and the number of released reports. Computed at scrape
// time, at most once a minute, so a busy scraper does not recompute a quarter every few seconds.
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../shared/clock.ts';
import type { ReportService } from './report-service.ts';

const CACHE_MS = 60_000;

export function currentQuarter(now: Date): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

export function registerIndicatorGauges(registry: Registry, reports: ReportService, clock: Clock): void {
  let cached: { at: number; totals: [string, number][]; released: number } | null = null;
  async function refresh() {
    const now = clock.now().getTime();
    if (cached && now - cached.at < CACHE_MS) return cached;
    const { figures } = await reports.liveFigures(currentQuarter(clock.now()));
    const totals = figures
      .filter((f) => f.dimension === 'total' && typeof f.value === 'number')
      .map((f) => [f.indicator, f.value as number] as [string, number]);
    const released = await reports.countReleased();
    cached = { at: now, totals, released };
    return cached;
  }
  new Gauge({
    name: 'hanoi247_indicator_current_quarter',
    help: 'Implementation indicators of the current quarter, totals (counts below the report threshold are left out)',
    labelNames: ['indicator'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [indicator, value] of (await refresh()).totals) this.set({ indicator }, value);
    },
  });
  new Gauge({
    name: 'hanoi247_indicator_reports_released',
    help: 'Periodic indicator reports released to the public',
    registers: [registry],
    async collect() {
      this.set((await refresh()).released);
    },
  });
}
