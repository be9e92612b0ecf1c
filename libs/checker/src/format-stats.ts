import type { CheckStats } from './check-stats';

/** The run's numbers in a few terminal lines. */
export function formatStats(s: CheckStats): string {
  return [
    `history: ${s.entries} entries, ${s.operations} client attempts (${s.ok} ok, ${s.fail} fail, ${s.info} info, ${s.open} open), ` +
      `${s.requests} requests, ${s.journeys} journeys; ${s.retries} retries, ${s.failedRequests} requests unacknowledged after retries`,
    `nemesis: ${s.nemesisEvents} events, ${s.apiFaults} injected API faults`,
    `images: ${s.acknowledgedCreates} creates and ${s.acknowledgedUploads} uploads acknowledged, ` +
      `${s.unacknowledgedUploads} uploads never acknowledged; ` +
      `${s.items} items: ${s.processed} processed, ${s.failed} failed, ${s.unfinished} unfinished`,
    `objects: ${s.rawObjects} raw (${s.rawHashed} hashed against their key, ${s.rawNotContentAddressed} not content-addressed, ` +
      `${s.unreferencedRawObjects} unreferenced), ${s.processedObjects} processed; sepia compared on ${s.sepiaChecked}`,
    `bad input: ${s.badRequests} request(s); queues: ${s.queueLeft} left in the main queue, ${s.deadLetters} dead letters of this run` +
      (s.deadLettersIgnored ? ` (${s.deadLettersIgnored} of earlier runs ignored)` : ''),
  ].join('\n');
}
