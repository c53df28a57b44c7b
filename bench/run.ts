// npm run bench [-- name ...]: runs the named benchmarks (all by default) and prints figures with ratios.
import { auditBench } from './audit.bench.ts';
import { coldStartBench } from './cold-start.bench.ts';
import { evidenceBench } from './evidence.bench.ts';
import { evidenceTransferBench } from './evidence-transfer.bench.ts';
import { federationBench } from './federation.bench.ts';
import { hubIndexBench } from './hub-index.bench.ts';
import { hubLiveBench } from './hub-live.bench.ts';
import { indicatorsBench } from './indicators.bench.ts';
import { requestsBench } from './requests.bench.ts';
import { startupBench } from './startup.bench.ts';
import { taxiiBench } from './taxii.bench.ts';
import { witnessBench } from './witness.bench.ts';

const BENCHES: Record<string, () => Promise<void>> = {
  audit: auditBench,
  'cold-start': coldStartBench,
  evidence: evidenceBench,
  'evidence-transfer': evidenceTransferBench,
  federation: federationBench,
  'hub-index': hubIndexBench,
  requests: requestsBench,
  'hub-live': hubLiveBench,
  indicators: indicatorsBench,
  startup: startupBench,
  taxii: taxiiBench,
  witness: witnessBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES[w]);
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`,
  );
  process.exit(2);
}
process.stdout.write(`# hanoi247 benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  await BENCHES[name]!();
}
