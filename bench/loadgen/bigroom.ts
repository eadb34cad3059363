/**
 * The big-room load: `members` users join one room, at most `inFlight` joins
 * at a time, and stay. Every key is made before the clock starts; each join
 * still signs its proof over its socket's nonce, as a real client does. It
 * counts every byte each member receives, by frame type, and waits until
 * every member's list has reached the full count (the memberCount of its
 * last `presence` frame, read from the frame's tail, or of its welcome, read
 * from the room object at its head: neither is parsed whole, so the
 * generator's cost per frame does not grow with the frame).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { joinSigningBytes } from '../../protocol/canonical.js';

export interface BigRoomArgs {
  url: string;
  members: number;
  inFlight: number;
  /** How long to wait, after the last welcome, for every list to reach the full count. */
  settleMs: number;
}

export interface BigRoomReport {
  joined: number;
  /** From the first join frame sent to the last welcome received. */
  joinMs: number;
  /** From the first join frame sent to the moment every member's count was `members`. */
  convergedMs: number;
  converged: number;
  welcomeBytes: number;
  presenceBytes: number;
  presenceFrames: number;
  otherBytes: number;
  /** The whole member list at the end, paged through by one member with `members` frames. */
  listBytes: number;
  listed: number;
  errors: string[];
}

interface Member {
  ws: WebSocket;
  count: number;
}

const TYPE_AT = '{"type":"'.length;
const P = 'p'.charCodeAt(0);
const W = 'w'.charCodeAt(0);
const E = 'e'.charCodeAt(0);
const COUNT = /"memberCount":(\d+)\}$/;
const WELCOME_COUNT = /^\{"type":"welcome","room":\{[^{}]*"memberCount":(\d+)[,}]/;

let open: Member[] = [];

export async function bigRoom(a: BigRoomArgs): Promise<BigRoomReport> {
  const res = await fetch(`${a.url}/rooms`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /rooms answered ${res.status}`);
  const { roomId } = (await res.json()) as { roomId: string };
  const keys = Array.from({ length: a.members }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return { pub: publicKey.export({ format: 'jwk' }).x!, privateKey };
  });
  const r: BigRoomReport = {
    joined: 0,
    joinMs: 0,
    convergedMs: 0,
    converged: 0,
    welcomeBytes: 0,
    presenceBytes: 0,
    presenceFrames: 0,
    otherBytes: 0,
    listBytes: 0,
    listed: 0,
    errors: [],
  };
  const wsUrl = `${a.url.replace(/^http/, 'ws')}/ws`;
  let full = 0;
  let onFull = (): void => {};
  const reached = (m: Member, count: number): void => {
    const was = m.count;
    m.count = count;
    if (was !== a.members && count === a.members && ++full === a.members) onFull();
    else if (was === a.members && count !== a.members) full--;
  };

  const joinOne = (pub: string, privateKey: KeyObject, i: number): Promise<void> =>
    new Promise((resolve) => {
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
      const m: Member = { ws, count: 0 };
      open.push(m);
      let welcomed = false;
      const fail = (why: string): void => {
        if (r.errors.length < 5) r.errors.push(`member-${i}: ${why}`);
        resolve();
      };
      ws.on('message', (data: Buffer) => {
        const t = data[TYPE_AT];
        if (t === P) {
          r.presenceBytes += data.length;
          r.presenceFrames++;
          const tail = COUNT.exec(data.subarray(Math.max(0, data.length - 40)).toString('latin1'));
          if (tail) reached(m, Number(tail[1]));
        } else if (t === W) {
          r.welcomeBytes += data.length;
          welcomed = true;
          r.joined++;
          // The room object comes first in a welcome, and only the member list after it is long.
          const head = WELCOME_COUNT.exec(data.toString('latin1', 0, 400));
          if (head) reached(m, Number(head[1]));
          else fail('a welcome without room.memberCount in its first 400 bytes');
          resolve();
        } else {
          r.otherBytes += data.length;
          if (t === E) fail(data.toString().slice(0, 200));
          else if (!welcomed && data.toString('latin1', 0, 16) === '{"type":"hello",') {
            const { nonce } = JSON.parse(data.toString()) as { nonce: string };
            const bytes = joinSigningBytes({ roomId, nonce, alg: 'Ed25519', pub });
            const proof = sign(null, bytes, privateKey).toString('base64url');
            const key = { alg: 'Ed25519', pub };
            ws.send(JSON.stringify({ type: 'join', roomId, name: `member-${i}`, key, proof }));
          }
        }
      });
      ws.on('error', (err) => fail(err.message));
      ws.on('close', (code) => !welcomed && fail(`closed with ${code}`));
    });

  const t0 = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < a.members) {
      const i = next++;
      await joinOne(keys[i]!.pub, keys[i]!.privateKey, i);
    }
  };
  const allFull = new Promise<void>((resolve) => (onFull = resolve));
  await Promise.all(Array.from({ length: Math.min(a.inFlight, a.members) }, lane));
  r.joinMs = performance.now() - t0;
  await Promise.race([allFull, new Promise((s) => setTimeout(s, a.settleMs))]);
  r.convergedMs = performance.now() - t0;
  r.converged = full;
  if (open[0]) Object.assign(r, await pageAll(open[0].ws));
  return r;
}

/** Pages through the whole member list on one socket, 500 at a time. */
async function pageAll(ws: WebSocket): Promise<{ listBytes: number; listed: number }> {
  let listBytes = 0;
  let listed = 0;
  let after: string | null = null;
  do {
    const page = await new Promise<{ members: unknown[]; next: string | null }>((resolve) => {
      const onMessage = (data: Buffer): void => {
        if (data.toString('latin1', 0, 18) !== '{"type":"members",') return;
        ws.off('message', onMessage);
        listBytes += data.length;
        resolve(JSON.parse(data.toString()) as { members: unknown[]; next: string | null });
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'members', limit: 500, ...(after === null ? {} : { after }) }));
    });
    listed += page.members.length;
    after = page.next;
  } while (after !== null);
  return { listBytes, listed };
}

export function closeBigRoom(): void {
  for (const m of open) m.ws.terminate();
  open = [];
}
