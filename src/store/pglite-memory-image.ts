// An in-memory database (a test's node, a throwaway run) starts from an image of the migrated schema:
// PGlite in memory otherwise runs initdb at every start, and then the migrations, which together took
// 7-18 s a node on a loaded 2-core machine where loading the image takes 2-3 s. The image is PGlite's
// own data-folder archive (dumpDataDir), made once per set of migrations and PGlite version beside the
// folder template (pglite-template.ts), and holds only the migrated schema: no keys, accounts or data.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type ImageMaker = () => Promise<Uint8Array<ArrayBuffer>>;

const building = new Map<string, Promise<Uint8Array<ArrayBuffer> | null>>();
const IMAGE_NAME = /^pglite-[0-9a-f]+\.image\.tar$/;

/**
 * The image for these migrations (`key`, from templateKey), read from `cacheDir` or made now by
 * `makeImage` and kept there. Null when it cannot be made: the caller then starts an empty database
 * and migrates it, as before. A cache that cannot be written still gives this process its image.
 */
export async function pgliteMemoryImage(
  cacheDir: string,
  key: string,
  makeImage: ImageMaker,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const file = join(cacheDir, `pglite-${key}.image.tar`);
  try {
    return readFileSync(file);
  } catch {
    // Not made yet (or unreadable): make it below.
  }
  let pending = building.get(file);
  if (!pending) {
    pending = build(cacheDir, file, makeImage).finally(() => building.delete(file));
    building.set(file, pending);
  }
  return pending;
}

async function build(
  cacheDir: string,
  file: string,
  makeImage: ImageMaker,
): Promise<Uint8Array<ArrayBuffer> | null> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await makeImage();
  } catch {
    return null;
  }
  const scratch = `${file}.${process.pid}.${Date.now()}`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written whole under another name first, so that a reader never takes a cut file for an image.
    writeFileSync(scratch, bytes);
    renameSync(scratch, file);
    for (const old of readdirSync(cacheDir))
      if (IMAGE_NAME.test(old) && join(cacheDir, old) !== file) rmSync(join(cacheDir, old), { force: true });
  } catch {
    try {
      rmSync(scratch, { force: true });
    } catch {
      // The cache folder itself is unusable: nothing was written there.
    }
  }
  return bytes;
}
