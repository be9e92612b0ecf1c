import { CreateImage, ProcessImage, UploadImage } from '@imagery/domain';
import {
  FakeImageFilter,
  FailurePlan,
  FailingImageQueue,
  FailingImageTable,
  FailingObjectStore,
  InMemoryImageQueue,
  InMemoryImageTable,
  InMemoryObjectStore,
  ManualClock,
} from '../domain';
import type { Adversary, UseCasePorts } from '@imagery/nest-platform';

/**
 * The in-memory fakes wired the way the apps wire an adversary (libs/nest-platform adversary.ts):
 * decorate the ports once, then its use cases or the real ones. A failure plan sits below the
 * decorators, where the network would be.
 */
export function adversaryWorld(adversary: Adversary) {
  const clock = new ManualClock();
  const plan = new FailurePlan();
  const table = new InMemoryImageTable();
  const store = new InMemoryObjectStore();
  const queue = new InMemoryImageQueue(clock);
  const filter = new FakeImageFilter();
  const real: UseCasePorts = {
    table: new FailingImageTable(table, plan),
    store: new FailingObjectStore(store, plan),
    queue: new FailingImageQueue(queue, plan),
    filter,
    clock: { now: () => clock.advance(1) }, // distinct timestamps, as Date.now() gives calls apart
  };
  const ports = adversary.decorate?.(real) ?? real;
  return {
    clock,
    plan,
    table,
    store,
    queue,
    filter,
    ports,
    createImage: adversary.createImage?.(ports) ?? new CreateImage(ports.table, ports.clock),
    uploadImage: adversary.uploadImage?.(ports) ?? new UploadImage(ports.table, ports.store, ports.queue, ports.filter, ports.clock),
    processImage: adversary.processImage?.(ports) ?? new ProcessImage(ports.table, ports.store, ports.filter, ports.clock),
  };
}
