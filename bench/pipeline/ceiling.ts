import { deployDataStack, oneEndpoint, resourcesToEnv } from '../../platform/local/emulator/data-stack';
import { startMotoServer } from '../../platform/local/emulator/moto-server';
import { round2 } from '@imagery/kernel/stats';
import { directAws, type DirectAws } from './direct-aws';
import { EmulatorRateResult, FixtureFile, measureEmulatorRate } from './emulator-rate';
import { measureSharpRate, SharpRateResult } from './sharp-rate';

/** The local ceiling: the lower of sharp's and the emulator's images/s, each measured alone on the idle platform. */
export interface Ceiling {
  readonly sharpRate: SharpRateResult;
  readonly emulator: EmulatorRateResult;
  /** The same measure against one plain moto process (the emulator as it was: one process, atomic writes, nothing else). */
  readonly plainMoto: EmulatorRateResult;
  /** The emulator's best ops/s ÷ plain moto's best ops/s, both measured in this run. */
  readonly ratioToPlainMoto: number;
  readonly imagesPerSecond: number;
  readonly limitedBy: 'sharp' | 'emulator';
}

const LEVELS = [4, 16];
const SECONDS = 6;

export async function measureCeiling(fixtures: readonly FixtureFile[], direct: DirectAws, log: (line: string) => void): Promise<Ceiling> {
  const sharpRate = await measureSharpRate({
    fixtures,
    seconds: 6,
    maxInputPixels: 40_000_000 /* the apps' MAX_INPUT_PIXELS default */,
    log,
  });
  const { emulator, plainMoto, ratioToPlainMoto } = await measureEmulatorAgainstPlainMoto(fixtures, direct, log);
  const imagesPerSecond = Math.min(sharpRate.ceilingImagesPerSecond, emulator.ceilingImagesPerSecond);
  const limitedBy = imagesPerSecond === sharpRate.ceilingImagesPerSecond ? 'sharp' : 'emulator';
  log(`local ceiling: ${imagesPerSecond} images/s (${limitedBy})`);
  return { sharpRate, emulator, plainMoto, ratioToPlainMoto, imagesPerSecond, limitedBy };
}

/** The emulator's op rate and one plain moto process's, measured one after the other with the same client, and their ratio. */
export async function measureEmulatorAgainstPlainMoto(
  fixtures: readonly FixtureFile[],
  direct: DirectAws,
  log: (line: string) => void,
): Promise<Pick<Ceiling, 'emulator' | 'plainMoto' | 'ratioToPlainMoto'>> {
  const emulator = await measureEmulatorRate({ aws: direct, fixtures, levels: LEVELS, seconds: SECONDS, log });
  const plainMoto = await measurePlainMoto(fixtures, (line) => log(`plain moto: ${line}`));
  const ratioToPlainMoto = round2(emulator.best.opsPerSecond / plainMoto.best.opsPerSecond);
  log(`emulator ${emulator.best.opsPerSecond} ops/s ÷ plain moto ${plainMoto.best.opsPerSecond} ops/s = ${ratioToPlainMoto}`);
  return { emulator, plainMoto, ratioToPlainMoto };
}

/** The baseline: one moto process as startMotoServer runs it by default, with its own data stack, started and stopped here. */
export async function measurePlainMoto(fixtures: readonly FixtureFile[], log: (line: string) => void): Promise<EmulatorRateResult> {
  const moto = await startMotoServer({ variant: 'plain', logName: 'bench-plain-moto' });
  try {
    const resources = await deployDataStack({ endpoint: moto.endpoint, stackName: 'imagery-bench-plain-moto' });
    const aws = directAws(resourcesToEnv(moto.endpoint, resources), oneEndpoint(moto.endpoint));
    try {
      return await measureEmulatorRate({ aws, fixtures, levels: LEVELS, seconds: SECONDS, log });
    } finally {
      aws.destroy();
    }
  } finally {
    await moto.stop();
  }
}
