import { UploadRequestError } from './upload-request.error';

/**
 * A per-instance cap on uploads in flight: each holds a spool file, a parser and a decode, so an
 * unbounded number would exhaust the disk or memory long before anything else. When full, the
 * client is told to come back shortly (another instance behind the load balancer may have room).
 */
export class UploadSlots {
  private busy = 0;

  constructor(
    readonly capacity: number,
    private readonly retryAfterSeconds = 1,
  ) {}

  get inFlight(): number {
    return this.busy;
  }

  /** Takes a slot or throws a 503 with Retry-After; the returned function gives it back (once). */
  acquire(): () => void {
    if (this.busy >= this.capacity) {
      throw new UploadRequestError(
        503,
        'too_many_uploads',
        `this instance is handling ${this.capacity} uploads; retry shortly`,
        this.retryAfterSeconds,
      );
    }
    this.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy--;
    };
  }
}
