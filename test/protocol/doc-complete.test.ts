/**
 * Keeps docs/protocol.md and docs/errors.md complete: every server frame
 * type, every field it (or an object inside it) can carry, every literal
 * value of its enumerated fields, every extra field an error can add, and
 * every close code the server can end a socket with. The lists are read
 * from the code itself (protocol/frames.ts through the TypeScript compiler,
 * the `new ChatError(…, { fields })` calls in server/, and the tables in
 * protocol/errors.ts), so a new frame, field or code fails here until it is
 * documented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import ts from 'typescript';
import { ERRORS, TRANSPORT_CLOSES, type ErrorSpec } from '../../protocol/errors.js';

const root = new URL('../../', import.meta.url).pathname;
const protocolDoc = readFileSync(join(root, 'docs/protocol.md'), 'utf8');
const errorsDoc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
const docs = `${protocolDoc}\n${errorsDoc}`;

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

const frames = parse(join(root, 'protocol/frames.ts'));

/** The interfaces, type aliases and schema constants of protocol/frames.ts, by name. */
const declarations = new Map<string, ts.Node>();
frames.forEachChild((node) => {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) declarations.set(node.name.text, node);
  if (ts.isVariableStatement(node)) {
    for (const d of node.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer) declarations.set(d.name.text, d.initializer);
    }
  }
});

interface Shape {
  /** Field names, with those of every object type reached from them. */
  fields: Set<string>;
  /** String literals a field can take (`type`, `reason`, `resume`...). */
  literals: Set<string>;
}

/** Walks a declared type: interface members, `extends`, referenced declarations, literal unions, TypeBox objects. */
function collect(name: string, into: Shape, seen = new Set<string>()): void {
  if (seen.has(name)) return;
  seen.add(name);
  const node = declarations.get(name);
  if (!node) return;
  const visit = (n: ts.Node): void => {
    if (ts.isPropertySignature(n) && ts.isIdentifier(n.name)) into.fields.add(n.name.text);
    // TypeBox schemas (PublicKeySchema): Type.Object({ alg: …, pub: … }).
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && ts.isCallExpression(n.initializer))
      into.fields.add(n.name.text);
    if (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal)) into.literals.add(n.literal.text);
    if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName)) collect(n.typeName.text, into, seen);
    if (ts.isExpressionWithTypeArguments(n) && ts.isIdentifier(n.expression)) collect(n.expression.text, into, seen);
    // Static<typeof PublicKeySchema>
    if (ts.isTypeQueryNode(n) && ts.isIdentifier(n.exprName)) collect(n.exprName.text, into, seen);
    n.forEachChild(visit);
  };
  visit(node);
}

/** The members of `type ServerFrame = A | B | …`. */
function serverFrameNames(): string[] {
  const alias = declarations.get('ServerFrame');
  assert.ok(alias && ts.isTypeAliasDeclaration(alias) && ts.isUnionTypeNode(alias.type), 'ServerFrame is a union');
  return alias.type.types.map((t) => ((t as ts.TypeReferenceNode).typeName as ts.Identifier).text);
}

/** The `type` literal of a frame interface. */
function frameType(name: string): string {
  const node = declarations.get(name) as ts.InterfaceDeclaration;
  const typeMember = node.members.find((m) => m.name && ts.isIdentifier(m.name) && m.name.text === 'type');
  if (typeMember && ts.isPropertySignature(typeMember) && typeMember.type && ts.isLiteralTypeNode(typeMember.type)) {
    return (typeMember.type.literal as ts.StringLiteral).text;
  }
  // MessageFrame extends ChatMessage and adds type: 'message'.
  throw new Error(`${name} has no literal type`);
}

/** A name is documented when the docs show it as `code` or as a JSON key or value. */
const documented = (name: string): boolean =>
  docs.includes(`\`${name}\``) || docs.includes(`"${name}"`) || docs.includes(`\`"${name}"\``);

test('every server frame type has its section in docs/protocol.md', () => {
  const names = serverFrameNames();
  assert.ok(names.length >= 9, `found ${names.length} server frames`);
  for (const name of names) {
    const type = frameType(name);
    assert.ok(new RegExp(`^### \`${type}\``, 'm').test(protocolDoc), `no section for the "${type}" frame (${name})`);
  }
});

test('every field of every server frame, and of the objects inside them, is documented', () => {
  for (const name of serverFrameNames()) {
    const shape: Shape = { fields: new Set(), literals: new Set() };
    collect(name, shape);
    assert.ok(shape.fields.size > 0, name);
    for (const field of shape.fields) assert.ok(documented(field), `${name}: field "${field}" is not documented`);
    for (const value of shape.literals) assert.ok(documented(value), `${name}: value "${value}" is not documented`);
  }
});

test('every REST error body field is documented', () => {
  const shape: Shape = { fields: new Set(), literals: new Set() };
  collect('RestError', shape);
  for (const field of shape.fields) assert.ok(documented(field), `RestError: "${field}"`);
});

/** The field names of every `new ChatError(code, message, { … })` in server/: what an error can add. */
function errorDetailFields(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const visit = (n: ts.Node): void => {
          if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'ChatError') {
            const details = n.arguments?.[2];
            // Every key of every object literal in the details, spreads too ({ ...(gone ? { reason } : {}) }).
            const keys = (d: ts.Node): void => {
              if (ts.isObjectLiteralExpression(d)) {
                for (const p of d.properties) if (p.name && ts.isIdentifier(p.name)) found.set(p.name.text, path);
              }
              d.forEachChild(keys);
            };
            if (details) keys(details);
          }
          n.forEachChild(visit);
        };
        visit(parse(path));
      }
    }
  };
  walk(join(root, 'server'));
  return found;
}

test('every extra field an error can carry is documented', () => {
  const fields = errorDetailFields();
  for (const expected of ['maxTextLength', 'retryAfterMs', 'serverTime']) assert.ok(fields.has(expected), expected);
  for (const [field, where] of fields) assert.ok(documented(field), `error field "${field}" (${where})`);
});

test('every close code the server can end a socket with is in both docs', () => {
  const codes = new Set<number>(Object.keys(TRANSPORT_CLOSES).map(Number));
  for (const spec of Object.values(ERRORS) as ErrorSpec[]) if (spec.close !== undefined) codes.add(spec.close);
  const closeTable = errorsDoc.slice(errorsDoc.indexOf('## Close codes'));
  for (const code of codes) {
    assert.ok(new RegExp(`^\\| ${code} `, 'm').test(closeTable), `close ${code} is not in the errors.md close table`);
    assert.ok(protocolDoc.includes(String(code)), `close ${code} is not in protocol.md`);
  }
});

test('every error code is named in docs/protocol.md or docs/errors.md', () => {
  for (const code of Object.keys(ERRORS)) assert.ok(documented(code), code);
});

test.run();
