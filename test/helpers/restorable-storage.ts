/**
 * Real memory storage that can be put back to an earlier state, as an
 * operator restoring a backup (or Redis restarting from an older append-only
 * file) does under a running server. Every call that writes is logged;
 * `restore(mark)` builds a fresh memory storage by replaying the log up to
 * the mark. Memory storage takes its time from the caller (`now`), so the
 * replay gives back exactly the state it had then.
 */
import { MemoryStorage } from '../../adapters/memory.js';
import type { Storage } from '../../adapters/types.js';

const WRITES = new Set<keyof Storage>([
  'createRoom',
  'bindName',
  'addPresence',
  'refreshPresence',
  'removePresence',
  'sweepPresence',
  'appendMessage',
  'expireRooms',
]);

export interface RestorableStorage {
  readonly storage: Storage;
  /** The state now, for a later `restore`. */
  mark(): number;
  /** Puts storage back to what it held at `mark`; everything written since is lost. */
  restore(mark: number): Promise<void>;
}

export function restorableStorage(): RestorableStorage {
  let inner = new MemoryStorage();
  const log: { method: keyof Storage; args: unknown[] }[] = [];
  const call = (target: Storage, method: keyof Storage, args: unknown[]): Promise<unknown> =>
    (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
  const storage = new Proxy<Storage>(inner, {
    get(_target, prop) {
      const value: unknown = Reflect.get(inner, prop, inner);
      if (typeof value !== 'function') return value;
      const method = prop as keyof Storage;
      return (...args: unknown[]) => {
        if (WRITES.has(method)) log.push({ method, args });
        return call(inner, method, args);
      };
    },
  });
  return {
    storage,
    mark: () => log.length,
    async restore(mark) {
      const fresh = new MemoryStorage();
      for (const { method, args } of log.slice(0, mark)) await call(fresh, method, args);
      log.length = mark;
      inner = fresh;
    },
  };
}
