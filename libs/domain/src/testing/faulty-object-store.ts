import { Readable } from 'node:stream';
import { ObjectStore } from '../ports/object-store.port';
import { FaultPlan } from './fault-plan';

/** An ObjectStore whose calls fail (or apply then fail) when the plan says so. */
export class FaultyObjectStore implements ObjectStore {
  constructor(private readonly inner: ObjectStore, private readonly plan: FaultPlan) {}

  put(key: string, body: Readable, contentType: string): Promise<void> {
    return this.plan.call('store.put', () => this.inner.put(key, body, contentType));
  }

  get(key: string): Promise<Readable> {
    return this.plan.call('store.get', () => this.inner.get(key));
  }

  delete(key: string): Promise<void> {
    return this.plan.call('store.delete', () => this.inner.delete(key));
  }

  presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return this.plan.call('store.presignGet', () => this.inner.presignGet(key, expiresInSeconds));
  }
}
