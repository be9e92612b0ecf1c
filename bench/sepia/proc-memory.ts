import { readFileSync } from 'node:fs';

export interface ProcMemory {
  /** Resident set size now, MB. */
  readonly rssMb: number;
  /** The kernel's high-water mark of the resident set since the process started, MB. */
  readonly hwmMb: number;
}

/** VmRSS and VmHWM of a live process from /proc (Linux); undefined once it is gone or elsewhere. */
export function readProcMemory(pid: number): ProcMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) : undefined;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss === undefined || hwm === undefined) return undefined;
  return { rssMb: rss / 1024, hwmMb: hwm / 1024 };
}

export interface MemorySampler {
  /** Highest VmRSS seen by the sampler, MB. */
  readonly maxRssMb: number;
  /** Latest reading (VmHWM there is the peak since the process started). */
  readonly last: ProcMemory | undefined;
  readonly samples: number;
  stop(): void;
}

/** Reads the process's memory every `intervalMs` until stopped or the process is gone. */
export function sampleProcMemory(pid: number, intervalMs: number): MemorySampler {
  let maxRssMb = 0;
  let last: ProcMemory | undefined;
  let samples = 0;
  const read = (): void => {
    const now = readProcMemory(pid);
    if (!now) return;
    last = now;
    samples++;
    maxRssMb = Math.max(maxRssMb, now.rssMb);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    get maxRssMb() {
      return maxRssMb;
    },
    get last() {
      return last;
    },
    get samples() {
      return samples;
    },
    stop: () => {
      read();
      clearInterval(timer);
    },
  };
}
