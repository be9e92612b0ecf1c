import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, sha256Hex, type FixtureManifest } from '../../../load/fixtures';

/**
 * Tiny fixtures in the manifest's format, for the fake API (libs/testing/load/fake-api.ts): no sharp, a
 * few bytes each, the bad ones recognisable by the fake (text, TRUNCATED, over its 4 KiB limit).
 */
export async function writeSmallFixtures(dir: string): Promise<FixtureManifest> {
  await mkdir(dir, { recursive: true });
  const entry = async (file: string, bytes: Buffer) => {
    await writeFile(join(dir, file), bytes);
    return { file, bytes: bytes.length, sha256: sha256Hex(bytes) };
  };
  const manifest: FixtureManifest = {
    version: 1,
    seed: 1,
    maxUploadBytes: 4096,
    images: [
      { ...(await entry('a.jpg', Buffer.from('\xff\xd8 image A \xff\xd9', 'latin1'))), contentType: 'image/jpeg', width: 1, height: 1 },
      {
        ...(await entry('b.jpg', Buffer.from('\xff\xd8 image B, a little longer \xff\xd9', 'latin1'))),
        contentType: 'image/jpeg',
        width: 2,
        height: 1,
      },
    ],
    bad: [
      {
        kind: 'not-an-image',
        ...(await entry('not-an-image.txt', Buffer.from('this is not an image'))),
        contentType: 'image/jpeg',
        expectStatus: 415,
      },
      {
        kind: 'truncated',
        ...(await entry('truncated.jpg', Buffer.from('\xff\xd8 TRUNCATED', 'latin1'))),
        contentType: 'image/jpeg',
        expectStatus: 422,
      },
      { kind: 'too-large', ...(await entry('too-large.jpg', Buffer.alloc(4097, 1))), contentType: 'image/jpeg', expectStatus: 413 },
    ],
  };
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  return manifest;
}
