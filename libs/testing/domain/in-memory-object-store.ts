import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ObjectNotFoundError, ObjectStore } from '@imagery/domain/ports/object-store.port';
import { promiseOf } from '../promise-of';

export interface InMemoryObject {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/**
 * An S3 bucket in memory. `put` reads its stream to the end and only then stores the object, so a
 * stream that errors midway leaves nothing behind (like an aborted multipart upload).
 */
export class InMemoryObjectStore implements ObjectStore {
  static readonly URL_BASE = 'https://objects.test/';
  private readonly objects = new Map<string, InMemoryObject>();

  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const bytes = await buffer(body);
    this.objects.set(key, { bytes, contentType });
  }

  get(key: string): Promise<Readable> {
    return promiseOf(() => {
      const stored = this.objects.get(key);
      if (!stored) throw new ObjectNotFoundError(key);
      return Readable.from([Buffer.from(stored.bytes)]);
    });
  }

  delete(key: string): Promise<void> {
    return promiseOf(() => {
      this.objects.delete(key);
    });
  }

  presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return promiseOf(() => {
      return `${InMemoryObjectStore.URL_BASE}${encodeURI(key)}?expires=${expiresInSeconds}`;
    });
  }

  /** Stored keys, sorted, optionally only those under `prefix`. */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  has(key: string): boolean {
    return this.objects.has(key);
  }

  object(key: string): InMemoryObject | undefined {
    return this.objects.get(key);
  }

  bytesOf(key: string): Buffer | undefined {
    return this.objects.get(key)?.bytes;
  }
}
