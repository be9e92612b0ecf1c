import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FisClient } from '@aws-sdk/client-fis';
import { startFisSimulator, FisSimulator } from '../../../chaos/fis/fis-simulator';
import { FakeControlPlane, fakeControlPlane } from './fake-control-plane';
import { ManualFisClock } from './manual-fis-clock';

export interface FisTestKit {
  readonly fis: FisClient;
  readonly simulator: FisSimulator;
  readonly platform: FakeControlPlane;
  readonly clock: ManualFisClock;
  readonly logs: string[];
  /** The simulator's local report folder (a fresh temporary one). */
  readonly reportDir: string;
  close(): Promise<void>;
}

/**
 * A simulator on a free loopback port with fake platform parts and a manual clock, and a real
 * `@aws-sdk/client-fis` client pointed at it — only the endpoint differs from talking to AWS.
 */
export async function startFisTestKit(options: { seed?: number; layout?: { api?: number; worker?: number } } = {}): Promise<FisTestKit> {
  const platform = fakeControlPlane(options.layout);
  const clock = new ManualFisClock();
  const logs: string[] = [];
  const reportDir = mkdtempSync(join(tmpdir(), 'fis-reports-'));
  const simulator = await startFisSimulator({
    port: 0,
    controlPlane: platform,
    seed: options.seed ?? 7,
    clock,
    reportDir,
    log: (l) => logs.push(l),
  });
  const fis = new FisClient({
    endpoint: simulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    fis,
    simulator,
    platform,
    clock,
    logs,
    reportDir,
    close: async () => {
      fis.destroy();
      await simulator.stop();
      rmSync(reportDir, { recursive: true, force: true });
    },
  };
}

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/fis-local';
