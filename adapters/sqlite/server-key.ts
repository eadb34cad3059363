/**
 * The server key beside the SQLite database: `<database>.server-key.json`,
 * mode 0600, so the key lives and is backed up (or lost) with the data it
 * signs for. The first writer wins: the file is written under a temporary
 * name and hard-linked into place, which fails if it already exists, so a
 * reader never sees half a file and two processes opening one database agree.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { ServerKeyRecord } from '../types.js';

export function serverKeyPath(databasePath: string): string {
  return `${databasePath}.server-key.json`;
}

function read(path: string): ServerKeyRecord {
  const record = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServerKeyRecord>;
  if (record.alg !== 'Ed25519' || typeof record.pub !== 'string' || typeof record.secret !== 'string') {
    throw new Error(`tiny-chat: ${path} is not a server key file`);
  }
  return record as ServerKeyRecord;
}

/** The key in the file beside the database, written from `candidate` when there is none. */
export function keepServerKeyFile(databasePath: string, candidate: ServerKeyRecord): ServerKeyRecord {
  const path = serverKeyPath(databasePath);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, `${JSON.stringify(candidate)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
    return candidate;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return read(path);
  } finally {
    unlinkSync(temp);
  }
}
