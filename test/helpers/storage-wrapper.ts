/**
 * A real adapter with a few methods replaced, to watch, hold back or lose
 * calls in a test. Everything not replaced goes to the adapter itself; never
 * a stand-in for storage.
 */
import type { Storage } from '../../adapters/types.js';

export function withOverrides(inner: Storage, overrides: Partial<Storage>): Storage {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof Storage];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
  });
}
