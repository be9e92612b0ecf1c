import { Readable } from 'node:stream';
import { ObjectStore } from '@imagery/domain/ports/object-store.port';
import { imageIdOfKey } from '@imagery/checker/run-scope';
import { FailurePlan } from './failure-plan';

/** An ObjectStore whose calls fail (or apply then fail) when the plan says so. */
export class FailingObjectStore implements ObjectStore {
  constructor(
    private readonly inner: ObjectStore,
    private readonly plan: FailurePlan,
  ) {}

  put(key: string, body: Readable, contentType: string): Promise<void> {
    return this.plan.call('store.put', () => this.inner.put(key, body, contentType), imageIdOfKey(key));
  }

  get(key: string): Promise<Readable> {
    return this.plan.call('store.get', () => this.inner.get(key), imageIdOfKey(key));
  }

  delete(key: string): Promise<void> {
    return this.plan.call('store.delete', () => this.inner.delete(key), imageIdOfKey(key));
  }

  presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return this.plan.call('store.presignGet', () => this.inner.presignGet(key, expiresInSeconds));
  }
}
