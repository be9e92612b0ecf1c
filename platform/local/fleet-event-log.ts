import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { Fleet, FleetEvent } from '@imagery/control-plane/control-plane';

/** A fleet event as recorded for reports (flat, JSON-friendly). */
export interface RecordedFleetEvent {
  readonly at: number;
  readonly type: FleetEvent['type'];
  readonly instance: string;
  readonly role: string;
  readonly replacement?: string;
}

/** The fleet events between two times (inclusive). */
export type FleetEventsBetween = (from: number, to: number) => RecordedFleetEvent[];

export interface FleetEventRecording {
  readonly between: FleetEventsBetween;
  stop(): void;
}

/** Records the fleet's events in memory and appends each to `file` (JSON lines), for other processes to read. */
export function recordFleetEvents(fleet: Pick<Fleet, 'onEvent'>, file: string): FleetEventRecording {
  writeFileSync(file, '');
  const events: RecordedFleetEvent[] = [];
  const stop = fleet.onEvent((e) => {
    const recorded: RecordedFleetEvent = {
      at: e.at,
      type: e.type,
      instance: e.instance.id,
      role: e.instance.role,
      ...(e.type === 'replaced' ? { replacement: e.replacement.id } : {}),
    };
    events.push(recorded);
    appendFileSync(file, `${JSON.stringify(recorded)}\n`);
  });
  return { between: (from, to) => events.filter((e) => e.at >= from && e.at <= to), stop };
}

/** Another process's recording, read from its file: each call reads only the complete lines appended since the last. */
export function tailFleetEvents(file: string): FleetEventsBetween {
  const events: RecordedFleetEvent[] = [];
  let offset = 0;
  return (from, to) => {
    const text = readFileSync(file).subarray(offset).toString('utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    offset += Buffer.byteLength(complete);
    for (const line of complete.split('\n')) if (line) events.push(JSON.parse(line) as RecordedFleetEvent);
    return events.filter((e) => e.at >= from && e.at <= to);
  };
}
