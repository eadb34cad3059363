/**
 * One WebSocket client per simulated user, for each kind of server, all on
 * the same `ws` client library so that the load generator does the same work
 * per frame whatever it talks to. Frames are classified by a byte or two,
 * never parsed, in the timed window.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { joinSigningBytes } from '../../protocol/canonical.js';

export type Kind = 'tiny' | 'ws' | 'sio';

export interface BenchClient {
  readonly kind: Kind;
  readonly ws: WebSocket;
  /** tiny-chat only: the identity, the room and the name the server gave. */
  readonly privateKey?: KeyObject;
  roomId: string;
  name: string;
  onDelivery: (data: Buffer) => void;
  onAck: () => void;
  errors: string[];
}

const NOOP = (): void => {};
const TYPE_AT = '{"type":"'.length;
const M = 'm'.charCodeAt(0);
const A = 'a'.charCodeAt(0);
const E = 'e'.charCodeAt(0);

interface Opened {
  ws: WebSocket;
  /** Resolves with the first frame (already received or not) for which `pick` returns a value. */
  wait<T>(pick: (text: string) => T | undefined): Promise<T>;
  /** Stops keeping set-up frames. */
  done(): void;
}

/**
 * Opens a socket and keeps its frames from the very first one: a server
 * frame can arrive in the same chunk as the handshake answer, before any
 * code awaiting the open could add a listener.
 */
function open(url: string): Promise<Opened> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const seen: string[] = [];
  let wake = (): void => {};
  let failure: Error | undefined;
  const onMessage = (data: Buffer): void => {
    seen.push(data.toString());
    wake();
  };
  ws.on('message', onMessage);
  ws.once('close', (code) => {
    failure = new Error(`closed with ${code} during set-up`);
    wake();
  });
  const opened: Opened = {
    ws,
    async wait<T>(pick: (text: string) => T | undefined): Promise<T> {
      for (let i = 0; ; i++) {
        while (i >= seen.length) {
          if (failure) throw failure;
          await new Promise<void>((resolve) => (wake = resolve));
        }
        const value = pick(seen[i]!);
        if (value !== undefined) return value;
      }
    },
    done() {
      ws.off('message', onMessage);
      seen.length = 0;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(opened));
    ws.once('error', reject);
  });
}

function attach(client: BenchClient, classify: (data: Buffer) => void): void {
  client.ws.on('message', (data: Buffer) => classify(data));
  client.ws.on('error', (err) => client.errors.push(err.message));
}

/** A tiny-chat member: hello, signed join, welcome; then classified frames. */
export async function joinTiny(baseUrl: string, roomId: string, wished: string): Promise<BenchClient> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x!;
  const o = await open(`${baseUrl.replace(/^http/, 'ws')}/ws`);
  const { ws } = o;
  const { nonce } = await o.wait((t) =>
    t.startsWith('{"type":"hello"') ? (JSON.parse(t) as { nonce: string }) : undefined,
  );
  const proof = sign(null, joinSigningBytes({ roomId, nonce, alg: 'Ed25519', pub }), privateKey).toString('base64url');
  const welcome = o.wait((t) => {
    if (t.startsWith('{"type":"error"')) throw new Error(`join refused: ${t}`);
    return t.startsWith('{"type":"welcome"') ? (JSON.parse(t) as { name: string }) : undefined;
  });
  ws.send(JSON.stringify({ type: 'join', roomId, name: wished, key: { alg: 'Ed25519', pub }, proof }));
  const { name } = await welcome;
  o.done();
  const client: BenchClient = { kind: 'tiny', ws, privateKey, roomId, name, onDelivery: NOOP, onAck: NOOP, errors: [] };
  attach(client, (data) => {
    const t = data[TYPE_AT];
    if (t === M) client.onDelivery(data);
    else if (t === A) client.onAck();
    else if (t === E) client.errors.push(data.toString());
  });
  return client;
}

/** A bare-ws member of `room` (bench/lib/rooms.ts; '' for the shared room): every frame it receives is a delivery. */
export async function connectWs(url: string, room = ''): Promise<BenchClient> {
  const o = await open(room === '' ? url : `${url}/?room=${encodeURIComponent(room)}`);
  o.done();
  const { ws } = o;
  const client: BenchClient = { kind: 'ws', ws, roomId: '', name: '', onDelivery: NOOP, onAck: NOOP, errors: [] };
  attach(client, (data) => client.onDelivery(data));
  return client;
}

/**
 * A Socket.IO member speaking the Engine.IO 4 / Socket.IO 5 wire protocol
 * directly: open packet "0{…}", namespace connect "40", events "42[…]", and
 * pong "3" for every ping "2". The server puts it in the room its `room` query parameter names.
 */
export async function connectSio(url: string, room = ''): Promise<BenchClient> {
  const o = await open(`${url}/socket.io/?EIO=4&transport=websocket&room=${encodeURIComponent(room)}`);
  const { ws } = o;
  ws.send('40');
  await o.wait((t) => (t.startsWith('40') ? true : undefined));
  o.done();
  const client: BenchClient = { kind: 'sio', ws, roomId: '', name: '', onDelivery: NOOP, onAck: NOOP, errors: [] };
  attach(client, (data) => {
    if (data[0] === 0x34 && data[1] === 0x32) client.onDelivery(data);
    else if (data.length === 1 && data[0] === 0x32) ws.send('3');
    else if (data[0] === 0x34 && data[1] === 0x34) client.errors.push(data.toString());
  });
  return client;
}
