import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedJourney } from '../../load/recorded-journey';
import { repoRoot } from '@imagery/kernel/repo-root';
import { type ScheduledFault, faultKey } from '../nemesis/schedule/fault-schedule';
import { scheduleToTemplate } from '../nemesis/schedule/schedule-template';
import { focusOnImages } from '../shrink/focus-journeys';
import type { ShrinkTarget } from '../shrink/shrink-run';
import { ownStopConditions } from './experiment/plan-experiment';
import { MutationPlatform } from './mutation-platform';
import { readLocalReplayRecord } from './replay';
import { runExperiment } from './run-experiment';
import { type RunSubject, attemptChain, candidateRunOptions, canFireIn, subjectOf } from './shrink-candidate';

/**
 * `npm run chaos -- shrink`'s platform side: the failing run a report records, and one platform of
 * its build that runs every candidate exactly (its schedule compiled to a local FIS template, its
 * journeys replayed), each on a fleet relaunched over an empty store: a candidate reuses the
 * recorded ids and must not meet the one before.
 */
export async function openShrinkTarget(reportPath: string): Promise<ShrinkTarget<ScheduledFault, RecordedJourney>> {
  const record = readLocalReplayRecord(reportPath);
  const subject = subjectOf(record);
  const violatedIds = new Set(record.violations.flatMap((v) => v.ids));
  const log = (line: string) => console.log(`  ${line}`);
  console.log(`starting a ${record.build}-build platform for the candidates...`);
  const platform = await MutationPlatform.start(record.build, record.seed, log);
  const tty = process.stdout.isTTY;
  const reports = new Map<string, string>();
  let runs = 0;
  return {
    subject,
    invariants: record.violations.map((v) => v.invariant),
    isFocusJourney: focusOnImages((j: RecordedJourney) => [j.id], [...violatedIds]),
    faultGroup: attemptChain,
    canFire: canFireIn,
    async runCandidate(candidate) {
      const session = await platform.sessionFor(record.build, runs++ > 0);
      Object.assign(process.env, session.directEnv); // the checker reads the resources directly
      const started = Date.now();
      const result = await runExperiment(session, {
        ...candidateRunOptions(record, candidate),
        reportsDir: join(repoRoot(), 'chaos', 'reports'),
        log: () => undefined, // the shrinker prints one line per candidate
        status: (l) => tty && process.stdout.write(`\r\x1b[2K${l}`),
      });
      reports.set(keyOf(candidate), result.reportDir);
      return {
        outcome: result.report.verdict.outcome,
        invariants: (result.report.replay?.violations ?? []).map((v) => v.invariant),
        seconds: (Date.now() - started) / 1000,
      };
    },
    writeReproduction(minimal, dir) {
      mkdirSync(dir, { recursive: true });
      const { schedule } = candidateRunOptions(record, minimal);
      const template = scheduleToTemplate(schedule!, {
        name: `${record.experiment}-minimal`,
        stopConditions: ownStopConditions(record.experiment),
      });
      const templatePath = join(dir, 'minimal-template.json');
      writeFileSync(templatePath, `${JSON.stringify(template, null, 2)}\n`);
      const ran = reports.get(keyOf(minimal));
      if (!ran) return Promise.resolve([templatePath]);
      // The minimal candidate's own report: its replay block executes exactly that run again.
      const reportCopy = join(dir, 'report.json');
      copyFileSync(join(ran, 'report.json'), reportCopy);
      return Promise.resolve([templatePath, reportCopy]);
    },
    close: () => platform.close(),
  };
}

/** One string per distinct candidate (what its report is found by). */
const keyOf = (s: RunSubject) => JSON.stringify([s.faults.map(faultKey), s.journeys.map((j) => j.index), s.warmupSeconds, s.tailSeconds]);
