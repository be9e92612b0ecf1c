import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SHOWN_ELSEWHERE = new Set(['level', 'time', 'msg', 'context', 'pid', 'hostname', 'role', 'instance']);

/**
 * LOG_FORMAT=text: pino's JSON lines turned into one readable line each (time, level, context,
 * message, then the other fields as JSON), for a developer's terminal. Redaction has happened
 * already: this only re-formats what pino wrote.
 */
export function textLogStream(out: NodeJS.WritableStream = process.stdout): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          const rest = Object.fromEntries(Object.entries(entry).filter(([k]) => !SHOWN_ELSEWHERE.has(k)));
          const time = new Date(Number(entry.time)).toISOString();
          const context = entry.context ? ` [${textOf(entry.context)}]` : '';
          const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
          out.write(`${time} ${LEVELS[Number(entry.level)] ?? entry.level}${context} ${textOf(entry.msg ?? '')}${extra}\n`);
        } catch {
          out.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/** A log field as text: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
