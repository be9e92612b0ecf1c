import { readFile } from 'node:fs/promises';
import { readHistoryFile } from '@imagery/history/history-file';
import { recordedWorkload, recordedWorkloadSchema, type RecordedWorkload } from './recorded-workload';

/**
 * A recorded workload from a file: a run's history (`*.jsonl`, the workload's own or the merged
 * one), a report.json (its `replay.workload`), or the recording itself as JSON.
 */
export async function readRecordedWorkload(path: string): Promise<RecordedWorkload> {
  if (path.endsWith('.jsonl')) return recordedWorkload((await readHistoryFile(path)).entries);
  const json = JSON.parse(await readFile(path, 'utf8')) as { replay?: { workload?: unknown } };
  return recordedWorkloadSchema.parse(json.replay?.workload ?? json);
}
