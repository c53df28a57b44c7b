// What the federation bench's two processes share: the key secret and a clock moved to a date
// when the Convention is in force in the demo directory.
export const BENCH_KEY_SECRET = 'bench-key-secret-0123456789';

const START = Date.now();
const OFFSET = Date.parse('2027-01-05T10:00:00Z') - START;
export const benchClock = { now: () => new Date(Date.now() + OFFSET) };
