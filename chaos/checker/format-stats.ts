import type { CheckStats } from './check-stats';

/** The run's numbers in a few terminal lines. */
export function formatStats(s: CheckStats): string {
  return [
    `history: ${s.events} events, ${s.requests} requests, ${s.journeys} journeys; ${s.retries} retries, ` +
      `${s.serverErrors} 5xx, ${s.networkErrors} network errors, ${s.failedRequests} requests failed after retries`,
    `images: ${s.acknowledgedCreates} creates and ${s.acknowledgedUploads} uploads acknowledged; ` +
      `${s.items} items: ${s.processed} processed, ${s.failed} failed, ${s.unfinished} unfinished`,
    `objects: ${s.rawObjects} raw (${s.unreferencedRawObjects} unreferenced), ${s.processedObjects} processed; ` +
      `sepia checked on ${s.sepiaChecked}`,
    `bad input: ${plural(s.badRequests, 'request')} (${s.badRequestsUnanswered} unanswered); ` +
      `queues: ${s.queueLeft} left in the main queue, ${s.deadLetters} dead letters`,
  ].join('\n');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
