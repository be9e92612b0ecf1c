import { AdversaryDefinition } from '../adversary-definition';

/** The workers run no repair sweep: an image whose SendMessage was lost stays `uploaded`. */
export const noRepairSweep: AdversaryDefinition = {
  name: 'no-repair-sweep',
  description: 'no repair sweep: an upload whose message was never sent is never processed',
  catchers: [{ experiment: 'sendmessage-fails', invariant: 'every-image-ends' }],
  build: { repairSweep: false },
};
