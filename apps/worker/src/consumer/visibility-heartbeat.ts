import { ImageQueue, reached } from '@imagery/domain';

/**
 * Keeps a running job's message hidden: renews the visibility timeout at half its length, so a
 * slow job is not handed to a second worker, while a crashed worker's message still comes back.
 */
export function startVisibilityHeartbeat(
  queue: ImageQueue,
  receiptHandle: string,
  visibilitySeconds: number,
  onError: (err: unknown) => void,
): () => void {
  const timer = setInterval(
    () => {
      queue
        .extendVisibility(receiptHandle, visibilitySeconds)
        .then(() => reached('visibility-extended'))
        .catch(onError);
    },
    (visibilitySeconds * 1000) / 2,
  );
  timer.unref();
  return () => clearInterval(timer);
}
