import { Image, ImageState } from '@imagery/domain/image';
import { ImageTable } from '@imagery/domain/ports/image-table.port';
import { FailurePlan } from './failure-plan';

/** An ImageTable whose calls fail (or apply then fail) when the plan says so. */
export class FailingImageTable implements ImageTable {
  constructor(
    private readonly inner: ImageTable,
    private readonly plan: FailurePlan,
  ) {}

  create(image: Image): Promise<{ image: Image; created: boolean }> {
    return this.plan.call('table.create', () => this.inner.create(image), image.id);
  }

  get(id: string): Promise<Image | undefined> {
    return this.plan.call('table.get', () => this.inner.get(id), id);
  }

  update(next: Image, expectedVersion: number, fromStates: readonly ImageState[]): Promise<Image> {
    return this.plan.call('table.update', () => this.inner.update(next, expectedVersion, fromStates), next.id);
  }

  listStale(state: ImageState, updatedBefore: number, limit: number): Promise<Image[]> {
    return this.plan.call('table.listStale', () => this.inner.listStale(state, updatedBefore, limit));
  }
}
