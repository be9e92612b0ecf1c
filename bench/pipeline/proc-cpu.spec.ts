import { machineTimesOf } from './proc-cpu';

describe("the machine's CPU times (/proc/stat)", () => {
  it('counts stolen time as busy, and apart, and guest time only once (it is already in user)', () => {
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const times = machineTimesOf('cpu  400 10 90 1000 50 5 5 40 300 0');
    expect(times).toEqual({ busy: 550, stolen: 40, total: 1600 });
  });

  it('reads a kernel that reports no steal column as none stolen', () => {
    expect(machineTimesOf('cpu  400 10 90 1000 50 5 5')).toEqual({ busy: 510, stolen: 0, total: 1560 });
  });
});
