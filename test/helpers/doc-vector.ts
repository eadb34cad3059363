/**
 * The test vectors docs/protocol.md publishes for third-party implementers:
 * a fenced block named `<name>` of `key: value` lines. Tests read them from
 * the doc itself, so the doc cannot drift from the code it describes.
 */
import { readFileSync } from 'node:fs';

export function docVector(name: string): Record<string, string> {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const block = new RegExp('```' + name + '\\n([\\s\\S]*?)```').exec(doc);
  if (!block) throw new Error(`docs/protocol.md has no ${name} block`);
  const out: Record<string, string> = {};
  for (const line of block[1]!.trim().split('\n')) {
    const i = line.indexOf(': ');
    out[line.slice(0, i)] = line.slice(i + 2);
  }
  return out;
}
