import { DomainError, VersionConflictError } from '@imagery/domain/errors';
import { Image } from '@imagery/domain/image';
import { itemToStartFrom } from '@imagery/domain/image-message';
import { ImageMessage } from '@imagery/domain/ports/image-queue.port';
import { statusOf } from './sim-history';
import { ChaosStep, ClientScript, ClientStep, WorkerStep, payloadOf } from './sim-scenario';
import { SimWorld } from './sim-world';
import { sha256Of, stagedUpload } from './staged-upload';

/** How many times a client repeats a request that failed with a 5xx-like error (same id, same bytes). */
export const CLIENT_RETRIES = 2;

/** Runs a virtual user's requests in order, retrying transient failures like the workload (load/) does. */
export async function runClient(world: SimWorld, client: ClientScript, process = 1): Promise<void> {
  for (const step of client.steps) {
    for (let attempt = 1; attempt <= CLIENT_RETRIES + 1; attempt++) {
      if (!(await attemptStep(world, client, step, process, attempt))) break;
    }
  }
}

/** One request, recorded as an invocation and its completion; true when it failed in a way worth retrying. */
async function attemptStep(world: SimWorld, client: ClientScript, step: ClientStep, process: number, attempt: number): Promise<boolean> {
  const id = client.id.toLowerCase();
  const rawId = step.upperCase ? client.id.toUpperCase() : client.id;
  const upload =
    step.op === 'upload'
      ? { sha256: sha256Of(payloadOf(client)), ...(client.payload === 'not-an-image' ? { bad: 'not-an-image' as const } : {}) }
      : {};
  const invoke = world.history.invoke({ process, op: step.op, id, attempt, ...upload });
  const seen = (image: Image, status = 200) =>
    world.history.complete(invoke, { type: 'ok', status, version: image.version, state: image.state });
  try {
    if (step.op === 'create') {
      const { image, created } = await world.createImage.execute(rawId);
      seen(image, created ? 201 : 200);
    } else if (step.op === 'upload') {
      seen((await world.uploadImage.execute(rawId, stagedUpload(payloadOf(client)))).image);
    } else {
      seen(await world.getImage.execute(rawId));
    }
    return false;
  } catch (err) {
    world.history.complete(invoke, statusOf(err));
    return !(err instanceof DomainError) || err instanceof VersionConflictError;
  }
}

/**
 * Receives a few messages and processes each, starting from the item its message carries on a first
 * delivery (as the worker does); the messages whose job succeeded are deleted in one batch
 * afterwards, never before. A failed job's message, or one the batch failed to delete, comes back.
 */
export async function pollOnce(world: SimWorld, max = 2): Promise<number> {
  let messages;
  try {
    messages = await world.ports.queue.receive(max, 0);
  } catch {
    return 0;
  }
  const done: string[] = [];
  for (const message of messages) {
    try {
      const parsed = JSON.parse(message.body) as ImageMessage;
      await world.processImage.execute(parsed.imageId, itemToStartFrom(parsed, message.receiveCount));
      done.push(message.receiptHandle);
    } catch {
      // left in the queue: it comes back after its visibility timeout
    }
  }
  await world.ports.queue.deleteBatch(done).catch(() => undefined);
  return messages.length;
}

/** One repair sweep; the number of images re-enqueued. */
export async function sweepOnce(world: SimWorld): Promise<number> {
  try {
    return (await world.repair.execute()).length;
  } catch {
    return 0;
  }
}

export async function runWorker(world: SimWorld, steps: readonly WorkerStep[]): Promise<void> {
  for (const step of steps) {
    await world.pause();
    await (step === 'poll' ? pollOnce(world) : sweepOnce(world));
  }
}

export async function runChaos(world: SimWorld, steps: readonly ChaosStep[]): Promise<void> {
  for (const step of steps) {
    await world.pause();
    if (step.kind === 'advance') world.clock.advance(step.ms);
    else if (step.kind === 'fault') world.faults.failNext(step.operation, step.fault, step.times);
    else if (step.kind === 'duplicate') world.queue.duplicate(step.index);
    else world.queue.rotate(step.count);
  }
}
