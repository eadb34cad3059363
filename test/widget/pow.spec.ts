/**
 * The widget's proof-of-work worker (widget/pow/index.ts, widget/pow/worker.ts) in
 * headless Chromium: it finds the solutions of the test vectors of
 * docs/protocol.md with WebCrypto, in a worker of its own. And the widget
 * itself against a real server that asks for work (the test runner's second
 * server): it creates a room and a new key joins it. The server refuses both
 * without a solution, so getting online is the proof that the work was paid.
 */
import { solveInWorker } from '../../widget/pow/index.js';
import { $, assert, equal, mount, online, unmountAll, until } from './helpers.js';

async function powServer(): Promise<string> {
  const res = await fetch('/__tiny-chat__/pow-server');
  return ((await res.json()) as { url: string }).url;
}

const WORKER = new URL('../../widget/pow/worker.ts', import.meta.url);
const JOIN = {
  roomId: 'sQKRn2TYX6Gk6T5-ZwysWw',
  nonce: 'n0nce-from-hello-AAAAAA',
  alg: 'Ed25519',
  pub: 'A'.repeat(43),
};

describe('proof-of-work worker', () => {
  it('solves the join and creation vectors', async () => {
    equal(await solveInWorker(WORKER, { kind: 'join', difficulty: 12, fields: JOIN }), '757');
    const challenge = 'sQKRn2TYX6Gk6T5-ZwysWw.1795493982268';
    equal(await solveInWorker(WORKER, { kind: 'create', difficulty: 12, challenge }), '2635');
  });
});

describe('<tiny-chat> on a server that asks for work', () => {
  afterEach(unmountAll);

  it('creates a room and joins it with a new key, paying the work both times', async () => {
    const server = await powServer();
    // The premise: without work, this server refuses to create a room.
    const bare = await fetch(new URL('/rooms', server), { method: 'POST' });
    const refusal = (await bare.json()) as { code: string };
    equal(refusal.code, 'proof-of-work-required');

    const owner = await mount({ server, name: 'olga', 'room-param': '' });
    const button = await until(() => $(owner, '.empty button'), 'create button');
    button.click();
    await online(owner);
    const room = owner.room ?? '';
    assert(/^[A-Za-z0-9_-]{22}$/.test(room), 'got a room id');

    // Another profile: a key the server has never seen, whose join needs work.
    const guest = await mount({ server, room, name: 'pavel' });
    await online(guest);
    equal(guest.assignedName, 'pavel');
    await until(() => owner.shadowRoot!.textContent.includes('pavel'), 'pavel in the list');
  });
});
