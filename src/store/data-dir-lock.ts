import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file with the owner's pid makes the second opener stop with a clear message instead.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'hanoi247.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      // A process that exits without closing its database (a stop that ran out of time) releases the folder too.
      const release = () => {
        process.off('exit', release);
        if (ownedBy(path, process.pid)) rmSync(path, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DataDirBusyError(dataDir, owner);
      }
      // The owner is gone (crash, kill -9): the lock is stale.
      rmSync(path, { force: true });
    }
  }
  throw new DataDirBusyError(dataDir, 0);
}

function ownedBy(path: string, pid: number): boolean {
  try {
    return Number(readFileSync(path, 'utf8')) === pid;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirBusyError extends Error {
  readonly code = 'ERR_DATA_DIR_BUSY';
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another hanoi247 process${pid ? ` (pid ${pid})` : ''}. ` +
        'Stop that node first, or run this command against its API, or set DATABASE_URL to use PostgreSQL.',
    );
    this.name = 'DataDirBusyError';
  }
}
