import type { DirectAws } from './direct-aws';
import { EmulatorRateResult, FixtureFile, measureEmulatorRate } from './emulator-rate';
import { measureSharpRate, SharpRateResult } from './sharp-rate';

/** The local ceiling: the lower of sharp's and the emulator's images/s, each measured alone on the idle platform. */
export interface Ceiling {
  readonly sharpRate: SharpRateResult;
  readonly emulator: EmulatorRateResult;
  readonly imagesPerSecond: number;
  readonly limitedBy: 'sharp' | 'emulator';
  /** One plain moto process measured the same way in the same run, and the emulator's ceiling over it. */
  readonly plainMoto?: EmulatorRateResult;
  readonly ratioToPlainMoto?: number;
}

export async function measureCeiling(
  fixtures: readonly FixtureFile[],
  direct: DirectAws,
  emulatorEndpoint: string,
  log: (line: string) => void,
): Promise<Ceiling> {
  const sharpRate = await measureSharpRate({
    fixtures,
    seconds: 6,
    maxInputPixels: 40_000_000 /* the apps' MAX_INPUT_PIXELS default */,
    log,
  });
  const emulator = await measureEmulatorRate({ aws: direct, emulatorEndpoint, fixtures, levels: [4, 16], seconds: 6, log });
  const imagesPerSecond = Math.min(sharpRate.ceilingImagesPerSecond, emulator.ceilingImagesPerSecond);
  const limitedBy = imagesPerSecond === sharpRate.ceilingImagesPerSecond ? 'sharp' : 'emulator';
  log(`local ceiling: ${imagesPerSecond} images/s (${limitedBy})`);
  return { sharpRate, emulator, imagesPerSecond, limitedBy };
}
