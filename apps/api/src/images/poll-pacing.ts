import { Image } from '@imagery/domain';

/**
 * The longest `Retry-After` an unfinished image gets, seconds: a client still sees the end soon
 * after it comes (an experiment's last journeys end at most this late), and a long wait costs a
 * read every 5 s instead of the workload's own 3 s.
 */
export const MAX_POLL_AFTER_SECONDS = 5;

/**
 * How long a client should wait before reading an unfinished (`uploaded`) image again: half of
 * how long it has waited since its last write, whole seconds, at most MAX_POLL_AFTER_SECONDS;
 * undefined (no advice) before it has waited 2 s, or for any other state.
 *
 * Why: a client polling on its own schedule reads once per pause whatever the backlog, so a
 * backlog of N waiting images costs N/pause reads a second, CPU and emulator time the workers
 * draining it share (locally, two cores for everything: 700 waiting images read 230 times a
 * second). Paced by its age, an image's reads grow apart with its wait, and one that is
 * re-enqueued or retried (a write) is read soon again.
 */
export function pollAfterSeconds(image: Pick<Image, 'state' | 'updatedAt'>, now: number): number | undefined {
  if (image.state !== 'uploaded') return undefined;
  const seconds = Math.min(MAX_POLL_AFTER_SECONDS, Math.floor((now - image.updatedAt) / 2000));
  return seconds >= 1 ? seconds : undefined;
}
