import type { HistoryEntry } from '@imagery/history/history-entry';
import { checkHistory, historyFacts, verdictOf } from '@imagery/checker';
import type { ReportData } from '../../../chaos/report/report-data';
import { IDS, apiFault, attempt, completeHistory, finalState, nemesis, processedItem, shaOf, uploadedItem } from '../checker/run-builder';

/** When the sample run starts. */
export const T0 = Date.UTC(2026, 10, 24, 2, 0, 0);
/** The sample run's one image with a journey of its own. */
export const [A] = IDS;

/**
 * 30 s of history: 5 requests/s, slow and failing between 10 s and 15 s (a FIS action's window,
 * an instance killed and replaced in it), and image A's upload left stuck by a crash at 12 s.
 */
export function reportHistory(): HistoryEntry[] {
  return completeHistory([...steadyGets(), ...killDuringAction(), ...stuckUpload()]);
}

/** Five GETs a second, each a 404; slow between 10 s and 15 s, one of them a 503 each second. */
function steadyGets(): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (let s = 0; s < 30; s++) {
    for (let i = 0; i < 5; i++) {
      const faulty = s >= 10 && s < 15;
      const id = `${String(s * 5 + i).padStart(8, '0')}-0000-4000-8000-000000000000`;
      const outcome = faulty && i === 0 ? ({ type: 'info', status: 503 } as const) : ({ type: 'fail', status: 404 } as const);
      entries.push(...attempt({ op: 'get', id, at: T0 + s * 1000 + i * 150, took: faulty ? 400 : 20, process: 100 + i, ...outcome }));
    }
  }
  return entries;
}

/** FIS action terminate-api from 10 s to 15 s: api-1 terminated at once, replaced at 13 s. */
function killDuringAction(): HistoryEntry[] {
  const action = { kind: 'fis-action', experimentId: 'EXP1', action: 'terminate-api', actionId: 'aws:ec2:terminate-instances' } as const;
  return [
    nemesis(T0 + 10_000, { ...action, phase: 'start' }),
    nemesis(T0 + 10_050, { kind: 'instance', phase: 'terminated', instance: 'i-api-1-1', role: 'api', slot: 1, generation: 0 }),
    nemesis(T0 + 13_000, {
      kind: 'instance',
      phase: 'replaced',
      instance: 'i-api-1-1',
      role: 'api',
      slot: 1,
      generation: 1,
      replacement: 'i-api-1-2',
    }),
    nemesis(T0 + 15_000, { ...action, phase: 'end' }),
  ];
}

/** Image A: created, its first upload cut by a crash after UpdateItem, the second acknowledged. */
function stuckUpload(): HistoryEntry[] {
  const upload = { op: 'upload', id: A, process: 1, sha256: shaOf(A) } as const;
  return [
    ...attempt({ op: 'create', id: A, at: T0 + 11_000, process: 1, type: 'ok', version: 0, state: 'created' }),
    ...attempt({ ...upload, at: T0 + 12_000, took: 300, type: 'info', status: 0, error: 'ECONNRESET', requestId: 'up-1' }),
    apiFault(T0 + 12_100, { requestId: 'up-1' }),
    ...attempt({ ...upload, at: T0 + 12_500, attempt: 2, type: 'ok', version: 1, state: 'uploaded' }),
  ];
}

/** The sample run's report: image A processed, or (broken) stuck in `uploaded`. */
export async function sampleReport(broken: boolean): Promise<{ report: ReportData; history: HistoryEntry[] }> {
  const h = reportHistory();
  const check = await checkHistory(h, finalState([broken ? uploadedItem(A) : processedItem(A)]));
  const facts = historyFacts(h);
  const thresholds = [{ name: 'p95 of successful requests < 500 ms', ok: true }];
  const drain = { drained: true, waitedMs: 3_000 };
  return {
    history: h,
    report: {
      experiment: 'kill-api',
      build: 'real',
      seed: 7,
      startedAt: T0,
      finishedAt: T0 + 30_000,
      fisExperimentId: 'EXP1',
      load: { rate: 5, durationSeconds: 30, requests: 152, journeys: 151 },
      thresholds,
      drain,
      historyFacts: facts,
      faultsPlanned: true,
      check,
      verdict: verdictOf({ check, history: facts, thresholds, drain, faultsPlanned: true, faultEffects: facts.faultEffects }),
    },
  };
}
