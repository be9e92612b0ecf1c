import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BadInputKind } from '@imagery/history/history-entry';
import { MANIFEST_FILE, sha256Hex, type FixtureManifest } from './fixtures';

/**
 * The generated fixtures (load/fixtures.ts), read once before the run, each already wrapped as the
 * multipart/form-data body the API expects (field `file`): every upload and every retry of it
 * sends these very bytes, and a 20 MiB too-large file costs its size once, not once per journey.
 */
export interface UploadBody {
  readonly file: string;
  /** SHA-256 of the file's bytes (how the API names the raw object), checked against the manifest. */
  readonly sha256: string;
  readonly bytes: number;
  readonly contentType: string;
  /** The whole multipart body and its Content-Type header (with the boundary). */
  readonly body: Buffer;
  readonly multipartType: string;
}

export interface FixtureSet {
  readonly dir: string;
  readonly manifest: FixtureManifest;
  readonly images: readonly UploadBody[];
  readonly bad: ReadonlyMap<Exclude<BadInputKind, 'bad-id'>, UploadBody>;
}

export async function loadFixtureSet(dir: string): Promise<FixtureSet> {
  let manifest: FixtureManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as FixtureManifest;
  } catch (error) {
    throw new Error(`no fixtures in ${dir} (${(error as Error).message}): generate them first (load/README.md)`, { cause: error });
  }
  const load = async (entry: { file: string; sha256: string; contentType: string }): Promise<UploadBody> => {
    const data = await readFile(join(dir, entry.file));
    const sha256 = sha256Hex(data);
    if (sha256 !== entry.sha256) throw new Error(`${join(dir, entry.file)} does not match its manifest entry: regenerate the fixtures`);
    return {
      file: entry.file,
      sha256,
      bytes: data.length,
      contentType: entry.contentType,
      ...multipart('file', entry.file, entry.contentType, data, sha256),
    };
  };
  const images = await Promise.all(manifest.images.map(load));
  if (images.length === 0) throw new Error(`no images in ${join(dir, MANIFEST_FILE)}`);
  const bad = new Map(await Promise.all(manifest.bad.map(async (entry) => [entry.kind, await load(entry)] as const)));
  return { dir, manifest, images, bad };
}

/** A multipart/form-data body with one file field; the boundary comes from the content, so it is the same every run. */
export function multipart(
  field: string,
  filename: string,
  contentType: string,
  data: Buffer,
  sha256: string,
): { body: Buffer; multipartType: string } {
  const boundary = `imagery-${sha256.slice(0, 32)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, data, tail]), multipartType: `multipart/form-data; boundary=${boundary}` };
}
