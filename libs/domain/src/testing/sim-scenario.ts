import { UNDECODABLE, NOT_AN_IMAGE, sepiaOf } from './fake-image-filter';
import { FaultKind, PortOperation } from './fault-plan';
import { ExpectedOutcome } from './sim-history';

/** What a virtual user uploads. */
export type PayloadKind = 'image' | 'not-an-image' | 'undecodable';

export interface ClientStep {
  readonly op: 'create' | 'upload' | 'get';
  /** Send the id in upper case: the same image, spelled differently. */
  readonly upperCase: boolean;
}

/** A virtual user: one client-chosen id, one payload, requests made one after the other. */
export interface ClientScript {
  readonly id: string;
  readonly payload: PayloadKind;
  readonly steps: readonly ClientStep[];
}

/** A worker either polls the queue (receive, process, delete) or runs a repair sweep. */
export type WorkerStep = 'poll' | 'sweep';

/** The nemesis: clock jumps, armed faults, duplicated and reordered messages. */
export type ChaosStep =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'fault'; readonly operation: PortOperation; readonly fault: FaultKind; readonly times: number }
  | { readonly kind: 'duplicate'; readonly index: number }
  | { readonly kind: 'rotate'; readonly count: number };

export interface Scenario {
  readonly clients: readonly ClientScript[];
  readonly workers: readonly (readonly WorkerStep[])[];
  readonly chaos: readonly ChaosStep[];
}

export function payloadOf(client: ClientScript): Buffer {
  const prefix = { image: 'IMG', 'not-an-image': NOT_AN_IMAGE, undecodable: UNDECODABLE }[client.payload];
  return Buffer.from(`${prefix}-${client.id.toLowerCase()}`);
}

export function expectedOutcomeOf(client: ClientScript): ExpectedOutcome {
  switch (client.payload) {
    case 'image':
      return { state: 'processed', rendering: sepiaOf(payloadOf(client)) };
    case 'undecodable':
      return { state: 'failed' };
    case 'not-an-image':
      return { state: 'refused' };
  }
}
