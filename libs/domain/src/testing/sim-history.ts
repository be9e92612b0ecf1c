import { Image } from '../image';

/** What a client's upload should come to, known from its bytes. */
export type ExpectedOutcome =
  | { readonly state: 'processed'; readonly rendering: Buffer }
  | { readonly state: 'failed' }
  /** Not an image: every upload must be refused, nothing stored. */
  | { readonly state: 'refused' };

export interface ClientRecord {
  /** The image id, normalised (lower case). */
  readonly id: string;
  readonly expected: ExpectedOutcome;
}

/** One request a client made and what it got back, in the order the client saw them. */
export interface ClientEvent {
  readonly seq: number;
  readonly id: string;
  readonly op: 'create' | 'upload' | 'get';
  readonly ok: boolean;
  /** The item as the response showed it. */
  readonly image?: Image;
  readonly created?: boolean;
  readonly enqueued?: boolean;
  /** A domain error's code, or the error's name. */
  readonly error?: string;
}

/** Everything the invariant checker reads: the history plus the final state of every store. */
export interface RunRecord {
  readonly clients: readonly ClientRecord[];
  readonly events: readonly ClientEvent[];
  readonly items: readonly Image[];
  readonly objects: readonly { readonly key: string; readonly bytes: Buffer }[];
  readonly pendingMessages: number;
  readonly deadLetters: readonly string[];
}

/** Appends client events with a global sequence number. */
export class HistoryRecorder {
  readonly events: ClientEvent[] = [];

  record(event: Omit<ClientEvent, 'seq'>): void {
    this.events.push({ seq: this.events.length, ...event });
  }
}
