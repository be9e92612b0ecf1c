import { shrinkCommand } from './shrink-command';

describe('shrinkCommand', () => {
  let errors: string[];
  let lines: string[];
  beforeEach(() => {
    errors = [];
    lines = [];
    jest.spyOn(console, 'error').mockImplementation((l: string) => void errors.push(l));
    jest.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
  });
  afterEach(() => jest.restoreAllMocks());

  const neverOpened = () => Promise.reject(new Error('should not open'));

  it('prints its usage for --help and exits 0', async () => {
    expect(await shrinkCommand(['--help'], neverOpened)).toBe(0);
    expect(lines.join('\n')).toMatch(/usage: npm run chaos -- shrink <report.json> \[--budget 15m\]/);
  });

  it('exits 2 with the reason and the usage on bad arguments', async () => {
    expect(await shrinkCommand(['--budget', '10m'], neverOpened)).toBe(2);
    expect(errors.join('\n')).toMatch(/one report.json, got none\nusage:/);
  });

  it('exits 2 when the run cannot be opened, saying why', async () => {
    const cannotRead = () => Promise.reject(new Error('cannot read r.json: ENOENT'));
    expect(await shrinkCommand(['r.json'], cannotRead)).toBe(2);
    expect(errors).toEqual(['shrink failed: cannot read r.json: ENOENT']);
  });
});
