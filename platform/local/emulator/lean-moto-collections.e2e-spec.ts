import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { repoRoot, toolPath } from '@imagery/kernel/repo-root';

/**
 * lean_moto_server.py's garbage-collection policy, in moto's own Python: a full collection must not
 * walk every item the tables hold (it held the GIL 120 ms at ~20,000 items, every request waiting),
 * so what survives one is frozen; young collections keep CPython's threshold, each one short.
 */
describe("lean moto's garbage collections", () => {
  const probe = `
import gc, json
import lean_moto_server
lean_moto_server.keep_collections_short()
frozen_before = gc.get_freeze_count()
items = [[str(i), ["uploaded", i]] for i in range(100_000)]  # lists: always tracked by the collector
gc.collect()
tracked_after_full = len(gc.get_objects())
frozen = gc.get_freeze_count() - frozen_before
print(json.dumps({"frozen": frozen, "tracked": tracked_after_full, "young": gc.get_threshold()[0]}))
`;

  it("freezes what survives a full collection, so the next one skips the tables' items", () => {
    const python = join(dirname(toolPath('moto')), 'python3');
    const out = execFileSync(python, ['-c', probe], {
      cwd: join(repoRoot(), 'platform', 'local', 'emulator'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    // 200,000 lists, moved out of the generations a collection scans
    expect(result.frozen).toBeGreaterThanOrEqual(200_000);
    expect(result.tracked).toBeLessThan(10_000);
    expect(result.young).toBe(700);
  });
});
