import type { Round } from './round';
import { TARGET_REQUESTS_PER_SECOND } from './settings';

/** The rounds' table, the generator's CPU per request, and the rate it sustained; false if under the target. */
export function printRounds(rounds: readonly Round[]): boolean {
  console.log('\nround        offered/s  achieved req/s  requests  dropped  errors  p50 ms  p99 ms  CPU ms/1000 req  cores');
  for (const r of rounds) {
    console.log(
      `${r.name.padEnd(12)} ${String(r.offered).padStart(9)}  ${r.achieved.toFixed(0).padStart(14)}  ` +
        `${String(r.requests).padStart(8)}  ${String(r.dropped).padStart(7)}  ${String(r.errors).padStart(6)}  ` +
        `${r.p50.toFixed(2).padStart(6)}  ${r.p99.toFixed(2).padStart(6)}  ` +
        `${r.cpuMsPer1000.toFixed(1).padStart(15)}  ${r.cores.toFixed(2).padStart(5)}`,
    );
  }
  const perCore = rounds.map((r) => (r.cpuMsPer1000 > 0 ? 1e6 / r.cpuMsPer1000 : 0));
  const msPerRequest = rounds.map((r) => r.cpuMsPer1000 / 1000);
  console.log(
    `\ngenerator CPU per request: ${Math.min(...msPerRequest).toFixed(3)}–${Math.max(...msPerRequest).toFixed(3)} ms, ` +
      `i.e. ${Math.round(Math.min(...perCore))}–${Math.round(Math.max(...perCore))} requests/s per core of CPU`,
  );
  const sustained = rounds
    .filter((r) => r.dropped === 0 && r.errors === 0 && r.achieved >= 0.95 * r.offered)
    .reduce((best, r) => Math.max(best, r.achieved), 0);
  console.log(`\nsustained without drops or errors: ${sustained.toFixed(0)} requests/s (target ≥ ${TARGET_REQUESTS_PER_SECOND})`);
  return sustained >= TARGET_REQUESTS_PER_SECOND;
}
