/**
 * Turns one inbound WebSocket frame into a typed client frame, or a ChatError
 * saying exactly what is wrong with it. Nothing here trusts the input: the
 * frame is size-checked, parsed, and checked against its schema before any
 * field is read.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ChatError } from '../../protocol/errors.js';
import {
  CLIENT_FRAME_SCHEMAS,
  MESSAGE_ID_PATTERN,
  type ClientFrame,
  type ClientFrameType,
} from '../../protocol/frames.js';

const MESSAGE_ID = new RegExp(MESSAGE_ID_PATTERN);

const CHECKS = Object.fromEntries(
  Object.entries(CLIENT_FRAME_SCHEMAS).map(([type, schema]) => [type, TypeCompiler.Compile(schema as TSchema)]),
) as Record<ClientFrameType, TypeCheck<TSchema>>;

/**
 * What a refused frame answers, read as loosely as it can be: the `id` of a
 * `send` or `moderate` whose id is a string, else the frame's `type`; undefined when the
 * text is not a JSON object with a string type.
 */
export function refOf(data: string | undefined): string | undefined {
  if (data === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { type, id } = value as { type?: unknown; id?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(CHECKS, type)) return undefined;
  if (type !== 'send' && type !== 'moderate') return type;
  return typeof id === 'string' && MESSAGE_ID.test(id) ? id : undefined;
}

export function parseFrame(data: string, maxBytes: number): ClientFrame {
  // A string's UTF-8 size is at most 3 bytes per UTF-16 unit; measure exactly only when it could matter.
  if (data.length * 3 > maxBytes && Buffer.byteLength(data, 'utf8') > maxBytes) {
    throw new ChatError('frame-too-large', undefined, { maxFrameBytes: maxBytes });
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new ChatError('malformed-json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChatError('invalid-frame', 'A frame must be a JSON object.');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') throw new ChatError('invalid-frame', 'A frame must have a string "type".');
  if (!Object.hasOwn(CHECKS, type)) throw new ChatError('unknown-type', `Unknown frame type "${type.slice(0, 32)}".`);
  const check = CHECKS[type as ClientFrameType];
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const where = first ? `${first.path || '/'}: ${first.message}` : 'schema mismatch';
    throw new ChatError('invalid-frame', `Invalid "${type}" frame at ${where}.`);
  }
  return value as ClientFrame;
}
