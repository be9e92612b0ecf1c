import { describeApiFault, indexNemesis } from './nemesis-index';
import type { Provenance, TouchingFault } from './evidence';
import type { FinalState } from './stored-state';
import { endOf, indexHistory } from './history-index';
import { imageIdOfKey } from './run-scope';
import type { CheckInput, Violation } from './violation';

const SHOWN = 4;

/** Each single-image violation, with its provenance; the message gains the faults, in words. */
export function withProvenance(violations: readonly Violation[], input: CheckInput): Violation[] {
  const objectsById = new Map<string, { key: string; size: number }[]>();
  for (const o of input.state.objects) {
    const id = imageIdOfKey(o.key);
    if (id) objectsById.set(id, [...(objectsById.get(id) ?? []), { key: o.key, size: o.size }]);
  }
  const cache = new Map<string, Provenance>();
  return violations.map((v) => {
    if (v.ids.length !== 1) return v;
    const id = v.ids[0];
    let provenance = cache.get(id);
    if (!provenance) cache.set(id, (provenance = provenanceOf(id, input, objectsById.get(id) ?? [], input.state)));
    return { ...v, message: `${v.message}; ${describeFaults(provenance.faults)}`, provenance };
  });
}

export function provenanceOf(id: string, input: CheckInput, objects: Provenance['objects'], state: FinalState): Provenance {
  const index = indexHistory(input.history);
  const nemesis = indexNemesis(input.history);
  const ops = index.byId.get(id) ?? [];
  const origin = index.origin;
  const seconds = (t: number) => Math.round((t - origin) / 100) / 10;
  const faults: TouchingFault[] = [];
  const seen = new Set<string>();
  const add = (fault: TouchingFault) => {
    if (seen.has(fault.text)) return;
    seen.add(fault.text);
    faults.push(fault);
  };
  for (const o of ops) {
    for (const f of nemesis.apiFaultsByRequest.get(o.invoke.requestId) ?? []) {
      add({ how: 'request', kind: 'api-fault', at: seconds(f.time), text: describeApiFault(f.event, f.time, origin) });
    }
  }
  for (const f of nemesis.apiFaultsByImage.get(id) ?? [])
    add({ how: 'image', kind: 'api-fault', at: seconds(f.time), text: describeApiFault(f.event, f.time, origin) });
  if (ops.length > 0) {
    const from = ops[0].invoke.time;
    const to = Math.max(...ops.map((o) => (Number.isFinite(endOf(o)) ? endOf(o) : o.invoke.time)));
    for (const w of nemesis.windows)
      if (w.start <= to && w.end >= from) add({ how: 'overlap', kind: w.kind, at: seconds(w.start), text: w.text });
  }
  const last = ops.length ? Math.max(...ops.map((o) => o.completion?.time ?? o.invoke.time)) : undefined;
  return {
    image: id,
    operations: ops.map((o) => ({
      op: o.invoke.op,
      attempt: o.invoke.attempt,
      requestId: o.invoke.requestId,
      at: seconds(o.invoke.time),
      ...(o.completion
        ? {
            type: o.completion.type,
            status: o.completion.status,
            latencyMs: o.completion.time - o.invoke.time,
            ...(o.completion.error ? { error: o.completion.error } : {}),
            ...(o.completion.state ? { state: o.completion.state } : {}),
            ...(o.completion.version !== undefined ? { version: o.completion.version } : {}),
          }
        : {}),
    })),
    item: state.items.find((i) => i.id === id) ?? null,
    objects,
    faults,
    ...(last !== undefined ? { lastOperationAt: last } : {}),
  };
}

/** "faults on its requests: crash after UpdateItem on i-api-1-1 at 12.2 s; during its operations: i-api-2-1 terminated at 10.0 s". */
export function describeFaults(faults: readonly TouchingFault[]): string {
  const direct = faults.filter((f) => f.how !== 'overlap').map((f) => f.text);
  const overlap = faults.filter((f) => f.how === 'overlap').map((f) => f.text);
  if (direct.length === 0 && overlap.length === 0) return 'no fault touched it';
  const list = (texts: string[]) => texts.slice(0, SHOWN).join(', ') + (texts.length > SHOWN ? ` and ${texts.length - SHOWN} more` : '');
  return [
    ...(direct.length ? [`faults on its requests: ${list(direct)}`] : []),
    ...(overlap.length ? [`during its operations: ${list(overlap)}`] : []),
  ].join('; ');
}
