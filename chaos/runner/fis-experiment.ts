import {
  CreateExperimentTemplateCommand,
  Experiment,
  FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import { randomUUID } from 'node:crypto';
import type { ExperimentTemplateInput } from '../fis';
import type { FisActionWindow } from '../report/report-data';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../platform/local/emulator/data-stack';

const TERMINAL = ['completed', 'stopped', 'failed', 'cancelled'];

/** The nemesis, driven exactly as in AWS: through @aws-sdk/client-fis, only the endpoint differs. */
export class FisExperiment {
  private readonly fis: FisClient;
  private id?: string;
  last?: Experiment;

  constructor(endpoint: string | undefined) {
    this.fis = new FisClient(endpoint ? { endpoint, region: process.env.AWS_REGION ?? LOCAL_REGION, credentials: LOCAL_CREDENTIALS } : {});
  }

  /** Creates the template, then starts it. */
  async start(template: ExperimentTemplateInput, seed: number): Promise<string> {
    const created = await this.fis.send(
      new CreateExperimentTemplateCommand({ ...(template as object), clientToken: randomUUID() } as never),
    );
    return this.startTemplate(created.experimentTemplate!.id!, seed);
  }

  /** Starts a template that already exists (in AWS: one of the stack's). */
  async startTemplate(experimentTemplateId: string, seed: number): Promise<string> {
    const started = await this.fis.send(
      new StartExperimentCommand({ experimentTemplateId, clientToken: randomUUID(), tags: { seed: String(seed) } }),
    );
    this.id = started.experiment!.id!;
    this.last = started.experiment;
    return this.id;
  }

  /** A template's actions, to know how long it runs. */
  async template(experimentTemplateId: string): Promise<ExperimentTemplateInput> {
    const out = await this.fis.send(new GetExperimentTemplateCommand({ id: experimentTemplateId }));
    return out.experimentTemplate as unknown as ExperimentTemplateInput;
  }

  async refresh(): Promise<Experiment | undefined> {
    if (!this.id) return undefined;
    this.last = (await this.fis.send(new GetExperimentCommand({ id: this.id }))).experiment;
    return this.last;
  }

  get done(): boolean {
    return TERMINAL.includes(this.last?.state?.status ?? '');
  }

  /** Actions running right now, for the progress line. */
  activeActions(): string[] {
    return Object.entries(this.last?.actions ?? {})
      .filter(([, a]) => a.state?.status === 'running')
      .map(([name]) => name);
  }

  /** When each action ran: the shaded windows of the report. */
  faultWindows(now: number): FisActionWindow[] {
    return Object.entries(this.last?.actions ?? {}).flatMap(([name, a]) =>
      a.startTime ? [{ action: name, actionId: a.actionId ?? '', start: a.startTime.getTime(), end: a.endTime?.getTime() ?? now }] : [],
    );
  }

  async stop(): Promise<void> {
    if (this.id && !this.done) await this.fis.send(new StopExperimentCommand({ id: this.id })).catch(() => undefined);
  }

  destroy(): void {
    this.fis.destroy();
  }
}
