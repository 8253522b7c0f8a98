/**
 * Small files written so a crash never leaves a torn one. Replacement (`writeFileAtomic`): write a temporary file in the same directory, fsync it,
 * rename it over the target, fsync the directory. A crash at any point leaves either the old or the
 * new content under the target name, never a torn file (rename is atomic within a POSIX file
 * system; the directory fsync makes the rename itself durable).
 */
import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';

/** Test seam: runs after the temporary file is durable and before it is renamed into place. */
export interface AtomicWriteHooks {
  readonly beforeRename?: (tempPath: string) => Promise<void> | void;
}

/** Replaces `path` with `data` atomically and durably; the file is created with mode 0600. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const temp = await writeDurableTemp(path, data);
  try {
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/**
 * Creates `path` with `data` (mode 0600) unless it exists; returns whether this call created it.
 * Two processes starting together both write a temporary file, and only one can link it into
 * place: the other finds the winner's file and uses it (demo keys generated on first start).
 */
export async function createFileOnce(path: string, data: string | Uint8Array): Promise<boolean> {
  const temp = await writeDurableTemp(path, data);
  try {
    await link(temp, path);
    await syncDirectory(dirname(path));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Writes `data` to a new temporary file (mode 0600) beside `path`, fsynced; returns its path. */
async function writeDurableTemp(path: string, data: string | Uint8Array): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** fsyncs a directory so that a rename or a new file in it survives a power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Deletes temporary files a crash left behind in `dir` (they were never renamed into place, so
 * they hold no acknowledged state). Returns how many were removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<number> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  const stale = names.filter((name) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX));
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  return stale.length;
}
