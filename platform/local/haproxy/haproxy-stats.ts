/**
 * Reads the status of each server of `backend` from HAProxy's stats CSV (`<stats>/;csv`), e.g.
 * { 'api-1': 'UP', 'api-2': 'DOWN' }. Tests and the console use it to see what the checks decided.
 */
export async function readServerStates(statsUrl: string, backend: string): Promise<Record<string, string>> {
  const res = await fetch(`${statsUrl}/;csv`, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`haproxy stats: HTTP ${res.status}`);
  const [header, ...rows] = (await res.text()).trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [px, sv, status] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c));
  const states: Record<string, string> = {};
  for (const row of rows.map((r) => r.split(','))) {
    if (row[px] === backend && row[sv] !== 'FRONTEND' && row[sv] !== 'BACKEND') states[row[sv]] = row[status];
  }
  return states;
}
