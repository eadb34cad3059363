/**
 * REST bodies checked by their TypeBox schema (protocol/frames.ts), as a
 * Fastify route validator: a body that fails is refused with `bad-request`
 * and a message naming the first offending field, through the same error
 * handler as every other REST error.
 *
 * Must never: coerce or drop a field (Fastify's default Ajv would remove
 * unknown ones silently), or echo more of the body than a field name.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import { ChatError } from '../../protocol/errors.js';

const KINDS: Record<string, string> = {
  boolean: 'a boolean',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  object: 'an object',
  array: 'a list',
};

/**
 * The validator compiler of a route whose optional body is `schema` (the
 * route also lists it, for Fastify): an absent or null body passes.
 */
export function bodyValidator(schema: TSchema): FastifySchemaCompiler<FastifySchema> {
  const check = TypeCompiler.Compile(schema);
  return () => (body: unknown) => {
    if (body === undefined || body === null || check.Check(body)) return { value: body ?? undefined };
    const first = check.Errors(body).First()!;
    const field = first.path.slice(1).split('/').join('.');
    const type: unknown = first.schema['type'];
    let message: string;
    if (field === '') message = 'The body must be an object.';
    else if (first.type === ValueErrorType.ObjectAdditionalProperties) message = `Unknown field "${field}".`;
    else message = `"${field}" must be ${(typeof type === 'string' && KINDS[type]) || 'valid'}.`;
    return { error: new ChatError('bad-request', message) };
  };
}
