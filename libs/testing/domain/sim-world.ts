import { Clock } from '@imagery/domain/ports/clock.port';
import { ImageFilter } from '@imagery/domain/ports/image-filter.port';
import { ImageTable } from '@imagery/domain/ports/image-table.port';
import { ObjectStore } from '@imagery/domain/ports/object-store.port';
import { CreateImage } from '@imagery/domain/use-cases/create-image';
import { GetImage } from '@imagery/domain/use-cases/get-image';
import { ProcessImage } from '@imagery/domain/use-cases/process-image';
import { RepairStuckImages } from '@imagery/domain/use-cases/repair-stuck-images';
import { UploadImage } from '@imagery/domain/use-cases/upload-image';
import { FakeImageFilter } from './fake-image-filter';
import { FaultPlan } from './fault-plan';
import { FaultyImageQueue } from './faulty-image-queue';
import { FaultyImageTable } from './faulty-image-table';
import { FaultyObjectStore } from './faulty-object-store';
import { InMemoryImageQueue } from './in-memory-image-queue';
import { InMemoryImageTable } from './in-memory-image-table';
import { InMemoryObjectStore } from './in-memory-object-store';
import { ManualClock } from './manual-clock';
import { SimHistory } from './sim-history';

export interface Processor {
  execute(id: string): Promise<unknown>;
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

/** Replaceable parts, so a deliberately broken build can be run through the same checker. */
export interface SimOverrides {
  readonly table?: InMemoryImageTable;
  readonly processor?: (table: ImageTable, store: ObjectStore, filter: ImageFilter, clock: Clock) => Processor;
  /** False: no repair sweep at all (sweeps do nothing). */
  readonly repair?: boolean;
  readonly settings?: Partial<SimSettings>;
}

/**
 * One deployment in memory: the fakes, the fault-injecting wrappers the use cases see, and the
 * use cases themselves. Tests read the fakes; the use cases only ever see the faulty wrappers.
 */
export class SimWorld {
  readonly settings: SimSettings;
  readonly clock = new ManualClock();
  readonly faults = new FaultPlan();
  /** What clients did and saw, and the faults injected, as a real run's history. */
  readonly history = new SimHistory();
  readonly table: InMemoryImageTable;
  readonly store = new InMemoryObjectStore();
  readonly queue: InMemoryImageQueue;
  readonly filter = new FakeImageFilter();
  readonly ports: { readonly table: ImageTable; readonly store: ObjectStore; readonly queue: FaultyImageQueue };
  readonly createImage: CreateImage;
  readonly getImage: GetImage;
  readonly uploadImage: UploadImage;
  readonly processImage: Processor;
  readonly repair: { execute(): Promise<string[]> };

  constructor(overrides: SimOverrides = {}) {
    this.settings = { ...DEFAULT_SIM_SETTINGS, ...overrides.settings };
    this.faults.onInjected = (operation, kind, imageId) => this.history.injected(operation, kind, imageId);
    this.table = overrides.table ?? new InMemoryImageTable();
    this.queue = new InMemoryImageQueue(this.clock, {
      visibilityTimeoutSeconds: this.settings.visibilityTimeoutSeconds,
      maxReceiveCount: this.settings.maxReceiveCount,
    });
    const table = new FaultyImageTable(this.table, this.faults);
    const store = new FaultyObjectStore(this.store, this.faults);
    const queue = new FaultyImageQueue(this.queue, this.faults);
    this.ports = { table, store, queue };
    this.createImage = new CreateImage(table, this.clock);
    this.getImage = new GetImage(table);
    this.uploadImage = new UploadImage(table, store, queue, this.filter, this.clock);
    const makeProcessor = overrides.processor ?? ((t, s, f, c) => new ProcessImage(t, s, f, c));
    this.processImage = makeProcessor(table, store, this.filter, this.clock);
    const policy = { stuckAfterMs: this.settings.stuckAfterMs, batchSize: this.settings.repairBatchSize };
    this.repair = overrides.repair === false ? { execute: async () => [] } : new RepairStuckImages(table, queue, this.clock, policy);
  }

  /** A point where a test scheduler may interleave other work (every port call passes one too). */
  async pause(): Promise<void> {
    if (this.faults.gate) await this.faults.gate('pause');
  }
}
