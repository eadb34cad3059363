/** The one way a ChatError becomes an `error` frame on the wire. */
import type { ChatError } from '../../protocol/errors.js';
import type { ErrorFrame } from '../../protocol/frames.js';

export function errorFrame(e: ChatError, ref?: string): ErrorFrame {
  return {
    type: 'error',
    code: e.code,
    category: e.spec.category,
    message: e.message,
    temporary: e.spec.temporary,
    ...(ref === undefined ? {} : { ref }),
    ...e.details,
  };
}
