import { join } from 'node:path';
import { createAwsClients } from '@imagery/aws-adapters';
import type { Violation } from '@imagery/checker';
import type { ObjectJudgements } from '@imagery/checker/object-judgements';
import type { NemesisEntry } from '@imagery/history/history-entry';
import type { WorkloadProgress } from '../../../load/engine/progress';
import type { PlatformSession } from '../../../platform/local/session';
import type { FisExperiment } from '../fis-experiment';
import { RunNemesis } from '../run-nemesis';
import { StreamingCheck } from '../streaming-check';
import { ToxiproxyObserver } from '../toxiproxy-observer';
import type { ExperimentPlan } from './plan-experiment';
import type { ExperimentRunOptions } from './run-options';
import { statusLine } from './status-line';

export interface LiveRunNeeds {
  readonly session: PlatformSession;
  readonly fis: FisExperiment;
  readonly plan: Pick<ExperimentPlan, 'loadSeconds'>;
  readonly runDir: string;
  readonly options: Pick<ExperimentRunOptions, 'experiment' | 'awsTemplateId' | 'log' | 'status'>;
}

/**
 * What watches a run while it goes: the nemesis recorder (fed each second with the FIS
 * experiment's state), the status line, Toxiproxy's observer (the proof a network fault fired in
 * place) and the streaming check (the checker as a stop condition).
 */
export class LiveRun {
  readonly startedAt = Date.now();
  readonly workloadPath: string;
  readonly nemesis: RunNemesis;
  /** Shown on the status line: warm-up, faults, faults ending, drain. */
  phase = 'warm-up';
  progress: WorkloadProgress | undefined;
  private readonly ticker: NodeJS.Timeout;
  private readonly toxiproxy?: ToxiproxyObserver;
  private readonly clients: ReturnType<typeof createAwsClients>;
  private readonly streaming?: StreamingCheck;

  private constructor(private readonly needs: LiveRunNeeds) {
    const { session, fis, options } = needs;
    this.workloadPath = join(needs.runDir, 'workload.jsonl');
    this.nemesis = new RunNemesis(session, this.startedAt);
    this.ticker = setInterval(() => void fis.refresh().then(this.tick, this.tick), 1_000);
    // AWS has no Toxiproxy.
    this.toxiproxy = session.toxiproxyUrl ? new ToxiproxyObserver(session.toxiproxyUrl) : undefined;
    this.toxiproxy?.start(1_000);
    this.clients = createAwsClients({ s3ForcePathStyle: session.emulatorEndpoint !== '' });
    // imagery-invariant-violated is the local simulator's alarm; in AWS there is none to set.
    this.streaming =
      options.awsTemplateId || !session.fisUrl
        ? undefined
        : new StreamingCheck({
            workloadPath: this.workloadPath,
            clients: this.clients,
            tableName: session.directEnv.IMAGES_TABLE,
            bucket: session.directEnv.IMAGES_BUCKET,
            fisUrl: session.fisUrl,
            log: options.log,
          });
  }

  /** Starts watching; on failure, stops what had started. */
  static async start(needs: LiveRunNeeds): Promise<LiveRun> {
    const live = new LiveRun(needs);
    try {
      await live.streaming?.start();
    } catch (error) {
      await live.close();
      throw error;
    }
    return live;
  }

  /** Records the FIS experiment's last state and redraws the status line. */
  readonly tick = (): void => {
    const { session, fis, plan, options } = this.needs;
    const faults = fis.activeActions();
    const kills = session.fleetEvents(this.startedAt, Date.now()).filter((e) => e.type === 'terminated' || e.type === 'died').length;
    this.nemesis.observe(fis.last);
    const elapsedSeconds = Math.round((Date.now() - this.startedAt) / 1000);
    const shown = { experiment: options.experiment, phase: this.phase, elapsedSeconds, loadSeconds: plan.loadSeconds };
    options.status(statusLine({ ...shown, progress: this.progress, faults, injected: this.nemesis.faultsInjected(), kills }));
  };

  /** The objects the streaming check judged while the load ran (none in AWS), for the final check. */
  get judgements(): ObjectJudgements | undefined {
    return this.streaming?.judgements;
  }

  /** Stops the streaming check and clears its alarm: the violations that stopped the experiment. */
  async stopStreaming(): Promise<readonly Violation[]> {
    return (await this.streaming?.stop()) ?? [];
  }

  stopStatusLine(): void {
    clearInterval(this.ticker);
    this.needs.options.status('');
  }

  /** Stops Toxiproxy's observer: what it saw in place. */
  async stopObserving(): Promise<NemesisEntry[]> {
    return (await this.toxiproxy?.stop()) ?? [];
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    await this.toxiproxy?.stop();
    await this.streaming?.stop().catch(() => undefined);
    this.clients.destroy();
  }
}
