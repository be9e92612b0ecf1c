import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type BatchGetCommandInput, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { IMAGE_ID_PATTERN, PROCESSED_PREFIX } from '@imagery/domain';
import {
  describeEarlyViolations,
  earlyViolations,
  imageIdOfKey,
  indexHistory,
  type LiveState,
  type StoredItem,
  type StoredObject,
  type Violation,
} from '@imagery/checker';
import { ObjectJudgements } from '@imagery/checker/object-judgements';
import { s3ObjectContentReader } from '@imagery/checker/object-reader';
import { prejudgeImage } from '@imagery/checker/prejudge-objects';
import { INVARIANT_ALARM } from '../fis/stop-conditions/alarms';
import { HistoryTail } from '@imagery/history/history-tail';

const UUID = new RegExp(IMAGE_ID_PATTERN);
/** DynamoDB's BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
/**
 * Processed images judged at once while the load runs: each decodes two images beside a platform
 * that is busy processing them, so few; what is not judged in time the final check judges.
 */
const PREJUDGE_CONCURRENCY = 2;

export interface StreamingCheckOptions {
  /** The workload's history file, read again on every pass (it is appended to while the run goes on). */
  readonly workloadPath: string;
  readonly clients: { readonly dynamodb: DynamoDBDocumentClient; readonly s3: S3Client };
  readonly tableName: string;
  readonly bucket: string;
  /** The FIS simulator whose alarm is raised (POST /local/alarms/<name>/state). */
  readonly fisUrl: string;
  readonly intervalMs?: number;
  readonly log: (line: string) => void;
}

/**
 * The checker as a stop condition: while the workload runs, every interval, read what it has
 * appended, then the live state of the images it named, and look for invariants already broken
 * for good (earlyViolations). On the first it finds, it raises the `imagery-invariant-violated`
 * alarm on the FIS simulator, whose stop-condition monitor then stops the experiment with that
 * reason; it keeps the violations for the report. It clears the alarm when it starts (a platform
 * outlives a run) and when it stops (the experiment has ended by then).
 *
 * It also judges each processed image's objects as it sees them (prejudge-objects.ts: the raw
 * object's hash, the sepia comparison), recorded by ETag in `judgements`, so that the final check
 * reads and compares only what is new or changed since.
 */
export class StreamingCheck {
  /** Objects judged during the run, for the final check. */
  readonly judgements = new ObjectJudgements();
  private readonly abort = new AbortController();
  /** The ALARM being raised, if one is. */
  private raising?: Promise<void>;
  /** Processed images (id@version) waiting to be judged, and those already queued once. */
  private readonly toJudge: StoredItem[] = [];
  private readonly queued = new Set<string>();
  /** Judges idle until something is queued (or the check stops). */
  private readonly idleJudges: (() => void)[] = [];
  private found: Violation[] = [];
  private passes = 0;
  private stopped?: Promise<readonly Violation[]>;
  private readonly tail: HistoryTail;

  constructor(private readonly options: StreamingCheckOptions) {
    this.tail = new HistoryTail(options.workloadPath);
  }

  /** The violations that raised the alarm (empty while none did). */
  get violations(): readonly Violation[] {
    return this.found;
  }

  async start(): Promise<void> {
    await this.setAlarm('OK', 'a new run starts');
    void this.run();
    void this.judgeObjects();
  }

  /** Stops checking and clears the alarm; resolves with the violations that raised it. */
  stop(): Promise<readonly Violation[]> {
    return (this.stopped ??= this.end());
  }

  private async end(): Promise<readonly Violation[]> {
    this.abort.abort();
    this.wakeJudges();
    // A pass or a judgement under way is not waited for: the experiment is over, so what it would
    // find can stop nothing (and is dropped), and the final check judges every object anyway. Only
    // an ALARM being raised is, so that the OK below lands after it.
    await this.raising?.catch(() => undefined);
    await this.setAlarm('OK', 'the run is over').catch((error: Error) =>
      this.options.log(`streaming check: could not clear the alarm (${error.message})`),
    );
    const found = this.found.length ? `${this.found.length} violation(s) raised the alarm` : 'nothing broken for good';
    const judged = `${this.judgements.size.sepias} processed images judged ahead of the final check`;
    this.options.log(`streaming check: ${this.passes} passes, ${found}; ${judged}`);
    return this.found;
  }

  private async run(): Promise<void> {
    const interval = this.options.intervalMs ?? 2_000;
    while (!this.abort.signal.aborted && this.found.length === 0) {
      try {
        const found = await this.pass();
        if (found.length > 0 && !this.abort.signal.aborted) {
          this.found = found;
          const reason = describeEarlyViolations(found);
          this.options.log(`streaming check: invariant broken, raising ${INVARIANT_ALARM}: ${reason}`);
          this.raising = this.setAlarm('ALARM', reason);
          await this.raising;
          return;
        }
      } catch (error) {
        // A failed read (a fault on the stores, the file being created) is not a violation: try again.
        if (!this.abort.signal.aborted) this.options.log(`streaming check: pass skipped (${(error as Error).message})`);
      }
      await sleep(interval, undefined, { signal: this.abort.signal }).catch(() => undefined);
    }
  }

  /** One pass: the history first, then the state (so every acknowledgement read precedes the state read). */
  private async pass(): Promise<Violation[]> {
    await this.tail.read(); // only what was appended since the last pass; a half-written line waits
    const entries = [...this.tail.entries]; // a new array: the history index is cached per array
    const ids = new Set(indexHistory(entries).byId.keys());
    if (ids.size === 0) return [];
    const live: LiveState = { items: await this.items(ids), objects: await this.processedObjects(ids) };
    this.passes++;
    this.queueForJudging(live.items);
    return earlyViolations(entries, live);
  }

  private queueForJudging(items: readonly StoredItem[]): void {
    for (const item of items) {
      const seen = `${item.id}@${String(item.version)}`;
      if (item.state !== 'processed' || this.queued.has(seen)) continue;
      this.queued.add(seen);
      this.toJudge.push(item);
    }
    this.wakeJudges();
  }

  private wakeJudges(): void {
    for (const wake of this.idleJudges.splice(0)) wake();
  }

  /** Judges queued images, a few at a time, until stopped; a failed read is left to the final check. */
  private async judgeObjects(): Promise<void> {
    const read = s3ObjectContentReader(this.options.clients.s3, this.options.bucket);
    const judge = async (): Promise<void> => {
      while (!this.abort.signal.aborted) {
        const item = this.toJudge.shift();
        if (item) await prejudgeImage(item, read, this.judgements).catch(() => false);
        else await new Promise<void>((wake) => this.idleJudges.push(wake));
      }
    };
    await Promise.all(Array.from({ length: PREJUDGE_CONCURRENCY }, judge));
  }

  /**
   * The run's items by key, not a Scan: a platform keeps every earlier run's items, and scanning
   * them all every pass loaded the emulator more with each experiment of a matrix (by the
   * eleventh, 3,000 items: the pipeline itself slowed to a crawl).
   */
  private async items(ids: ReadonlySet<string>): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    const keys = [...ids].filter((id) => UUID.test(id)).map((id) => ({ id }));
    for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
      let pending: BatchGetCommandInput['RequestItems'] = {
        [this.options.tableName]: { Keys: keys.slice(i, i + BATCH_GET_LIMIT), ConsistentRead: true },
      };
      while (pending && Object.keys(pending).length > 0) {
        const out: BatchGetCommandOutput = await this.options.clients.dynamodb.send(new BatchGetCommand({ RequestItems: pending }));
        for (const item of (out.Responses?.[this.options.tableName] ?? []) as StoredItem[]) if (ids.has(item.id)) items.push(item);
        pending = out.UnprocessedKeys;
      }
    }
    return items;
  }

  private async processedObjects(ids: ReadonlySet<string>): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.options.clients.s3 },
      { Bucket: this.options.bucket, Prefix: PROCESSED_PREFIX },
    )) {
      for (const o of page.Contents ?? []) {
        const id = o.Key ? imageIdOfKey(o.Key) : undefined;
        if (o.Key && id && ids.has(id)) objects.push({ key: o.Key, size: o.Size ?? 0 });
      }
    }
    return objects;
  }

  private async setAlarm(stateValue: 'OK' | 'ALARM', stateReason: string): Promise<void> {
    const answer = await fetch(`${this.options.fisUrl}/local/alarms/${INVARIANT_ALARM}/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stateValue, stateReason }),
    });
    if (!answer.ok) throw new Error(`setting ${INVARIANT_ALARM} to ${stateValue}: HTTP ${answer.status} ${await answer.text()}`);
  }
}
