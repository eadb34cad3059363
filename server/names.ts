/**
 * Server-made unique names: the candidates tried, in order, when a wished
 * name is already pinned to another key in the room.
 */
import { MAX_NAME_LENGTH, skeleton } from '../protocol/names.js';

/**
 * The names to try, in order, for a wished name: itself, then numbered
 * variants, then random ones, each cut to fit the length limit.
 */
export function nameCandidates(name: string, random: () => number = Math.random): { name: string; skeleton: string }[] {
  const out: string[] = [name];
  for (let i = 2; i <= 20; i++) out.push(withSuffix(name, `-${i}`));
  for (let i = 0; i < 10; i++) out.push(withSuffix(name, `-${Math.floor(1000 + random() * 9000)}`));
  return out.map((n) => ({ name: n, skeleton: skeleton(n) }));
}

function withSuffix(name: string, suffix: string): string {
  const room = MAX_NAME_LENGTH - suffix.length;
  const chars = [...name];
  return (chars.length > room ? chars.slice(0, room).join('') : name) + suffix;
}
