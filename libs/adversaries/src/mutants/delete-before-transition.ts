import { override } from '../override';
import { AdversaryDefinition } from '../adversary-definition';

/**
 * The worker deletes each message as soon as it is received, before the image is rendered and its
 * transition recorded: a worker that dies or fails mid-job has already given its message up.
 */
export const deleteBeforeTransition: AdversaryDefinition = {
  name: 'delete-before-transition',
  description: 'the message is deleted on receipt, before the transition: a job that dies loses its message',
  catchers: [
    { experiment: 'kill-worker', invariant: 'nothing-lost' },
    { experiment: 'crash-between-update-and-send', invariant: 'nothing-lost' },
  ],
  maskedBy: 'the repair sweep, which re-enqueues an image left `uploaded` (5 s in chaos runs)',
  build: {
    decorate: (p) => ({
      ...p,
      queue: override(p.queue, {
        async receive(max, waitSeconds, signal, visibilitySeconds) {
          const messages = await p.queue.receive(max, waitSeconds, signal, visibilitySeconds);
          await Promise.all(messages.map((m) => p.queue.delete(m.receiptHandle)));
          return messages;
        },
      }),
    }),
  },
};
