import { RECOVERY_PATHS, RECOVERY_PATH_NAMES, isRecoveryPath } from './recovery-paths';
import { Reach, reachCounts, reached, recordReachesTo } from './reached';

afterEach(() => recordReachesTo(undefined));

describe('the recovery-path catalogue', () => {
  it('names at least ten paths, each in kebab case with a one-line description', () => {
    expect(RECOVERY_PATH_NAMES.length).toBeGreaterThanOrEqual(10);
    for (const name of RECOVERY_PATH_NAMES) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(RECOVERY_PATHS[name].length).toBeGreaterThan(20);
      expect(RECOVERY_PATHS[name]).not.toContain('\n');
    }
  });

  it('tells a catalogued name from any other string', () => {
    expect(isRecoveryPath('stuck-upload-re-enqueued')).toBe(true);
    expect(isRecoveryPath('toString')).toBe(false);
    expect(isRecoveryPath('no-such-path')).toBe(false);
  });
});

describe('reached', () => {
  it('counts every reach of a path in the process', () => {
    const before = reachCounts().get('repair-claim-lost') ?? 0;
    reached('repair-claim-lost');
    reached('repair-claim-lost', 'twin');
    expect(reachCounts().get('repair-claim-lost')).toBe(before + 2);
  });

  it('hands each reach to the sink, with its detail when it has one', () => {
    const seen: Reach[] = [];
    recordReachesTo((r) => seen.push(r));
    reached('message-redelivered', 'receive 3');
    reached('visibility-extended');
    recordReachesTo(undefined);
    reached('visibility-extended');
    expect(seen).toEqual([{ path: 'message-redelivered', detail: 'receive 3' }, { path: 'visibility-extended' }]);
  });

  it('never throws into the recovery it marks, even when the sink does', () => {
    recordReachesTo(() => {
      throw new Error('disk full');
    });
    const before = reachCounts().get('receive-failed-backoff') ?? 0;
    expect(() => reached('receive-failed-backoff')).not.toThrow();
    expect(reachCounts().get('receive-failed-backoff')).toBe(before + 1);
  });
});
