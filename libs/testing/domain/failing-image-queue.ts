import { ImageMessage, ImageQueue, ReceivedMessage } from '@imagery/domain/ports/image-queue.port';
import { FailurePlan } from './failure-plan';

/**
 * An ImageQueue whose calls fail (or apply then fail) when the plan says so. An ambiguous
 * `receive` hides the messages it took, as a lost ReceiveMessage response does.
 */
export class FailingImageQueue implements ImageQueue {
  constructor(
    private readonly inner: ImageQueue,
    private readonly plan: FailurePlan,
  ) {}

  send(message: ImageMessage): Promise<void> {
    return this.plan.call('queue.send', () => this.inner.send(message), String(message.imageId).toLowerCase());
  }

  receive(max: number, waitSeconds: number, signal?: AbortSignal): Promise<ReceivedMessage[]> {
    return this.plan.call('queue.receive', () => this.inner.receive(max, waitSeconds, signal));
  }

  delete(receiptHandle: string): Promise<void> {
    return this.plan.call('queue.delete', () => this.inner.delete(receiptHandle));
  }

  deleteBatch(receiptHandles: readonly string[]): Promise<string[]> {
    return this.plan.call('queue.deleteBatch', () => this.inner.deleteBatch(receiptHandles));
  }

  extendVisibility(receiptHandle: string, seconds: number): Promise<void> {
    return this.plan.call('queue.extendVisibility', () => this.inner.extendVisibility(receiptHandle, seconds));
  }

  backlog(): Promise<number> {
    return this.plan.call('queue.backlog', () => this.inner.backlog());
  }
}
