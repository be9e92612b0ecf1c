import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { processedKeyOf, rawKeyOf } from '@imagery/domain';
import { makePhotoJpeg } from '../../../load/photo-jpeg';
import type { HistoryEntry } from '@imagery/history/history-entry';
import { checkHistory } from '@imagery/checker/check-history';
import type { StoredItem } from '@imagery/checker/stored-state';
import { apiFault, attempt, completeHistory, finalState, nemesis, T0 } from './run-builder';
import { renderSepia } from './sepia-rendering';

/**
 * How long the checker takes on a large run, and how big its history is: JOURNEYS (default 1,000)
 * journeys with retries and faults (≈12 entries each), every image processed, every raw object
 * hashed and every processed object compared with a real sepia rendering of a real photo-like
 * JPEG (1280×800). Not part of `npm test` (the file name is no spec); run it with
 *   npx jest --testRegex 'measure-checker\.ts$' libs/testing/checker/measure-checker.ts
 */
const JOURNEYS = Number(process.env.JOURNEYS ?? 1000);
const idOf = (i: number) => `${i.toString(16).padStart(8, '0')}-6c1e-4d8b-9a55-1f1d2c3b4a01`;

function journeyWithRetries(id: string, at: number, process: number, sha256: string): HistoryEntry[] {
  return [
    ...attempt({ op: 'create', id, at, process, type: 'ok', version: 0, state: 'created' }),
    ...attempt({
      op: 'upload',
      id,
      at: at + 20,
      process,
      took: 500,
      type: 'info',
      status: 0,
      error: 'timeout',
      sha256,
      requestId: `${id}-u1`,
    }),
    apiFault(at + 100, { requestId: `${id}-u1`, imageId: id }),
    ...attempt({ op: 'upload', id, at: at + 600, process, attempt: 2, took: 40, type: 'ok', version: 1, state: 'uploaded', sha256 }),
    ...attempt({ op: 'get', id, at: at + 700, process, type: 'ok', version: 1, state: 'uploaded' }),
    ...attempt({ op: 'get', id, at: at + 1_200, process, type: 'info', status: 503 }),
    ...attempt({ op: 'get', id, at: at + 1_700, process, attempt: 2, type: 'ok', version: 2, state: 'processed' }),
  ];
}

it(`measures the checker on ${JOURNEYS} journeys with real sepia comparisons`, async () => {
  const raw = await makePhotoJpeg(1280, 800, { seed: 5 });
  const processed = await renderSepia(raw);
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const ids = Array.from({ length: JOURNEYS }, (_, i) => idOf(i));
  const entries = ids.flatMap((id, i) => journeyWithRetries(id, T0 + i * 60, (i % 200) + 1, sha256));
  for (let s = 0; s < 60; s += 10) {
    entries.push(
      nemesis(T0 + s * 1000, { kind: 'instance', phase: 'terminated', instance: `i-api-1-${s}`, role: 'api', slot: 1, generation: s }),
    );
  }
  entries.push(nemesis(T0, { kind: 'fis-action', phase: 'start', experimentId: 'E', action: 'a', actionId: 'aws:fis:wait' }));
  entries.push(nemesis(T0 + 30_000, { kind: 'fis-action', phase: 'end', experimentId: 'E', action: 'a', actionId: 'aws:fis:wait' }));
  const history = completeHistory(entries);
  const historyBytes = history.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0);

  const items: StoredItem[] = ids.map((id) => ({
    id,
    version: 2,
    state: 'processed',
    rawS3Key: rawKeyOf(id, sha256),
    processedS3Key: processedKeyOf(id),
    createdAt: T0,
  }));
  const state = finalState(
    items,
    items.flatMap((i) => [
      { key: i.rawS3Key!, size: raw.length },
      { key: i.processedS3Key!, size: processed.length },
    ]),
  );
  const bad = processedKeyOf(ids[Math.floor(JOURNEYS * 0.77)]);
  let reads = 0;
  const readObject = (key: string) => {
    reads++;
    return Promise.resolve(key.startsWith('upload/') ? raw : key === bad ? raw : processed);
  };

  const cpu0 = process.cpuUsage();
  const historyOnly = await checkHistory(history, state);
  const full = await checkHistory(history, state, { readObject });
  const cpu = process.cpuUsage(cpu0);
  expect(historyOnly.ok).toBe(true);
  // every comparison ran: the one copy among all of them is found
  expect(full.violations.map((v) => [v.invariant, v.ids[0]])).toEqual([['sepia', ids[Math.floor(JOURNEYS * 0.77)]]]);
  expect(full.stats).toMatchObject({ sepiaChecked: JOURNEYS, rawHashed: JOURNEYS, journeys: JOURNEYS });
  expect(reads).toBe(3 * JOURNEYS);
  console.log(
    [
      `history: ${history.length} entries, ${(historyBytes / 1e6).toFixed(2)} MB as JSON Lines (${JOURNEYS} journeys)`,
      `checker without object reads: ${historyOnly.tookMs} ms`,
      `checker with every raw object hashed and ${full.stats.sepiaChecked} sepia comparisons ` +
        `(1280x800 JPEG, concurrency 4): ${full.tookMs} ms`,
      `CPU of both: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    ].join('\n'),
  );
}, 300_000);
