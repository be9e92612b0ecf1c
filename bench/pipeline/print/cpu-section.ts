import { CpuUsage, ROLES } from '../proc-cpu';
import type { Report } from '../report';
import { pct, table } from './format';

/** Where the CPU went in every phase, per role, beside the rest of the machine. */
export function cpuSection(r: Report): string[] {
  const e = r.ceiling.emulator.best;
  const rows: Array<[string, CpuUsage]> = [
    [`emulator alone (${e.concurrency} loops)`, e.cpu],
    ['warm-up (no figure)', r.pipeline.warmUp.cpu],
    ['latency phase', r.pipeline.latency.cpu],
    [`idle (${r.idle.seconds} s, no load)`, r.idle.cpu],
    ...r.pipeline.throughput.map((t): [string, CpuUsage] => [t.name, t.cpu]),
    ...r.api.map((a): [string, CpuUsage] => [`api, ${a.fault ?? 'no fault'}`, a.cpu]),
    ...r.apiSaturation.steps.map((s): [string, CpuUsage] => [`api, ${s.rate} req/s`, s.load.cpu]),
  ];
  return [
    'CPU, % of one core per role; ours = everything this bench started and others = the rest of the machine, % of all cores;',
    '  stolen = of "others", the time the hypervisor gave other guests while this machine had work: it slows every figure of its phase',
    ...table(
      ['phase', ...ROLES, 'ours', 'others', 'stolen', 'machine'],
      rows.map(([name, u]) => [
        name,
        ...ROLES.map((role) => String(Math.round(u.percentOfCore[role]))),
        pct(u.oursPercentOfMachine),
        u.machineBusyPercent === undefined ? '?' : pct(Math.max(0, u.machineBusyPercent - u.oursPercentOfMachine)),
        pct(u.machineStolenPercent),
        pct(u.machineBusyPercent),
      ]),
    ),
    '',
  ];
}
