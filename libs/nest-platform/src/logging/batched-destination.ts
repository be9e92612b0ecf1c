import pino, { DestinationStream } from 'pino';

/** The longest a log line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 100;

/**
 * Where log lines go by default (stdout): asynchronous, and in batches of up to 4 KiB or
 * LOG_FLUSH_MS, whichever comes first. One write per line cost a thread-pool round trip per
 * access-log line, a visible share of a request's CPU. pino flushes the buffer when the process
 * exits; a SIGKILL loses at most the last LOG_FLUSH_MS of lines.
 */
export function batchedDestination(dest: string | number = 1): DestinationStream {
  return pino.destination({ dest, sync: false, minLength: 4096, periodicFlush: LOG_FLUSH_MS });
}
