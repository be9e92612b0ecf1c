import { Clock } from '@imagery/domain/ports/clock.port';
import { Image } from '@imagery/domain/image';
import { ImageFilter } from '@imagery/domain/ports/image-filter.port';
import { ImageTable } from '@imagery/domain/ports/image-table.port';
import { ObjectStore } from '@imagery/domain/ports/object-store.port';
import { CreateImage } from '@imagery/domain/use-cases/create-image';
import { GetImage } from '@imagery/domain/use-cases/get-image';
import { ProcessImage } from '@imagery/domain/use-cases/process-image';
import { RepairStuckImages } from '@imagery/domain/use-cases/repair-stuck-images';
import { UploadImage } from '@imagery/domain/use-cases/upload-image';
import { FakeImageFilter } from './fake-image-filter';
import { FailurePlan } from './failure-plan';
import { FailingImageQueue } from './failing-image-queue';
import { FailingImageTable } from './failing-image-table';
import { FailingObjectStore } from './failing-object-store';
import { InMemoryImageQueue } from './in-memory-image-queue';
import { InMemoryImageTable } from './in-memory-image-table';
import { InMemoryObjectStore } from './in-memory-object-store';
import { ManualClock } from './manual-clock';
import { SimHistory } from './sim-history';
import type { Adversary, UseCase, UseCasePorts } from '@imagery/nest-platform';

export interface Processor {
  execute(id: string, known?: Image): Promise<unknown>;
}

export interface SimSettings {
  readonly stuckAfterMs: number;
  readonly repairBatchSize: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

export const DEFAULT_SIM_SETTINGS: SimSettings = {
  stuckAfterMs: 60_000,
  repairBatchSize: 2,
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 50,
};

/** What a run changes from the real build: an adversary (libs/adversaries), a processor, settings. */
export interface SimOverrides {
  /** A build the checker must catch, applied as the apps apply it: decorated ports, its use cases, no sweep. */
  readonly adversary?: Adversary;
  /** The real build configured otherwise (e.g. bounded attempts); an adversary's processImage wins. */
  readonly processor?: (table: ImageTable, store: ObjectStore, filter: ImageFilter, clock: Clock) => Processor;
  readonly settings?: Partial<SimSettings>;
}

/**
 * One deployment in memory: the fakes, the failure-injecting wrappers the use cases see (decorated
 * by the adversary, if any, as libs/nest-platform does), and the use cases themselves. Tests read
 * the fakes; the use cases only ever see the wrappers.
 */
export class SimWorld {
  readonly settings: SimSettings;
  readonly clock = new ManualClock();
  readonly faults = new FailurePlan();
  /** What clients did and saw, and the failures injected, as a real run's history. */
  readonly history = new SimHistory();
  readonly table = new InMemoryImageTable();
  readonly store = new InMemoryObjectStore();
  readonly queue: InMemoryImageQueue;
  readonly filter = new FakeImageFilter();
  /** The ports the use cases are built on: the failing wrappers, decorated by the adversary. */
  readonly ports: UseCasePorts;
  readonly createImage: UseCase<CreateImage>;
  readonly getImage: GetImage;
  readonly uploadImage: UseCase<UploadImage>;
  readonly processImage: Processor;
  readonly repair: { execute(): Promise<string[]> };

  constructor(overrides: SimOverrides = {}) {
    this.settings = { ...DEFAULT_SIM_SETTINGS, ...overrides.settings };
    this.faults.onInjected = (operation, kind, imageId) => this.history.injected(operation, kind, imageId);
    this.queue = new InMemoryImageQueue(this.clock, {
      visibilityTimeoutSeconds: this.settings.visibilityTimeoutSeconds,
      maxReceiveCount: this.settings.maxReceiveCount,
    });
    const adversary = overrides.adversary;
    const real: UseCasePorts = {
      table: new FailingImageTable(this.table, this.faults),
      store: new FailingObjectStore(this.store, this.faults),
      queue: new FailingImageQueue(this.queue, this.faults),
      filter: this.filter,
      clock: this.clock,
    };
    const p = (this.ports = adversary?.decorate?.(real) ?? real);
    this.createImage = adversary?.createImage?.(p) ?? new CreateImage(p.table, p.clock);
    this.getImage = new GetImage(p.table);
    this.uploadImage = adversary?.uploadImage?.(p) ?? new UploadImage(p.table, p.store, p.queue, p.filter, p.clock);
    const processor = overrides.processor ?? ((t, s, f, c) => new ProcessImage(t, s, f, c));
    this.processImage = adversary?.processImage?.(p) ?? processor(p.table, p.store, p.filter, p.clock);
    const policy = { stuckAfterMs: this.settings.stuckAfterMs, batchSize: this.settings.repairBatchSize };
    this.repair =
      adversary?.repairSweep === false ? { execute: () => Promise.resolve([]) } : new RepairStuckImages(p.table, p.queue, p.clock, policy);
  }

  /** A point where a test scheduler may interleave other work (every port call passes one too). */
  async pause(): Promise<void> {
    if (this.faults.gate) await this.faults.gate('pause');
  }
}
