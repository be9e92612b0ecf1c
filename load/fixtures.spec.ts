import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { MANIFEST_FILE, generateFixtures, sha256Hex } from './fixtures';

describe('workload fixtures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imagery-fixtures-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const sizes = [
    { width: 320, height: 240 },
    { width: 200, height: 300 },
  ];

  it('writes JPEGs of the asked sizes, the bad files and a manifest with their SHA-256', async () => {
    const out = join(dir, 'a');
    const manifest = await generateFixtures(out, { seed: 42, maxUploadBytes: 64 * 1024, sizes });
    expect(JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect((await readdir(out)).sort()).toEqual(
      [MANIFEST_FILE, ...manifest.images.map((f) => f.file), ...manifest.bad.map((f) => f.file)].sort(),
    );
    for (const entry of [...manifest.images, ...manifest.bad]) {
      const bytes = await readFile(join(out, entry.file));
      expect({ file: entry.file, bytes: bytes.length, sha256: sha256Hex(bytes) }).toEqual({
        file: entry.file,
        bytes: entry.bytes,
        sha256: entry.sha256,
      });
    }
    for (const [i, image] of manifest.images.entries()) {
      const meta = await sharp(join(out, image.file)).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', ...sizes[i] });
    }

    const bad = Object.fromEntries(manifest.bad.map((f) => [f.kind, f]));
    expect(Object.keys(bad).sort()).toEqual(['not-an-image', 'too-large', 'truncated']);
    expect(bad['too-large']).toMatchObject({ bytes: 64 * 1024 + 1, expectStatus: 413 });
    expect(bad['not-an-image'].expectStatus).toBe(415);
    expect(bad.truncated.expectStatus).toBe(422);
    // what the API does with them: sharp cannot make an image of the text, nor fully decode the truncated JPEG
    await expect(sharp(join(out, bad['not-an-image'].file)).metadata()).rejects.toThrow();
    await expect(sharp(join(out, bad.truncated.file), { failOn: 'truncated' }).raw().toBuffer()).rejects.toThrow();
  });

  it('is seeded: the same seed gives the same files, another seed other images', async () => {
    const [a, b, c] = await Promise.all([
      generateFixtures(join(dir, 's1'), { seed: 7, maxUploadBytes: 4096, sizes }),
      generateFixtures(join(dir, 's2'), { seed: 7, maxUploadBytes: 4096, sizes }),
      generateFixtures(join(dir, 's3'), { seed: 8, maxUploadBytes: 4096, sizes }),
    ]);
    expect(b).toEqual(a);
    expect(c.images.map((f) => f.sha256)).not.toEqual(a.images.map((f) => f.sha256));
  });

  it('the default set is a mix of sizes up to about 2 MP and stays small', async () => {
    const manifest = await generateFixtures(join(dir, 'default'), { maxUploadBytes: 1024 });
    const megapixels = manifest.images.map((f) => (f.width * f.height) / 1e6);
    expect(Math.min(...megapixels)).toBeLessThan(0.5);
    expect(Math.max(...megapixels)).toBeGreaterThan(1.9);
    expect(manifest.images.reduce((sum, f) => sum + f.bytes, 0)).toBeLessThan(2_000_000);
  });

  it('refuses nonsense options', async () => {
    await expect(generateFixtures(join(dir, 'x'), { maxUploadBytes: 0 })).rejects.toThrow(/maxUploadBytes/);
    await expect(generateFixtures(join(dir, 'x'), { seed: 1.5 })).rejects.toThrow(/seed/);
  });
});
