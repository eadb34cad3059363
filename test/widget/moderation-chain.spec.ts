/// <reference types="mocha" />
/**
 * The chain through moderation entries (widget/moderation/check.ts), with
 * real keys and WebCrypto: an action signed by the owner and linked with
 * actionChainBytes verifies, and so does the message after it; a tombstone's
 * link is taken as the next one's predecessor; an action signed by someone
 * who is not staff, or by a moderator for an owner-only act, or linked wrong,
 * shows unverified.
 */
import { chainLink, genesisLink } from '../../protocol/chain.js';
import type { ChatMessage, Entry } from '../../protocol/frames.js';
import type { ActionEntry, ModerationAction, RemovedEntry, RoomStaff } from '../../protocol/moderation.js';
import { actionChainBytes, moderationSigningBytes } from '../../protocol/moderation-bytes.js';
import { encodeBase64url } from '../../protocol/base64url.js';
import { generateIdentity, publicKeyOf, type Identity } from '../../widget/keys.js';
import { Members } from '../../widget/members.js';
import { checkEntry, Standing } from '../../widget/moderation/check.js';
import { sign, signMessage } from '../../widget/signing.js';
import { Timeline } from '../../widget/timeline.js';
import { equal, until } from './helpers.js';

const ROOM = 'Mq3vYk9TfB2mWcLr7HsJdA';
const CREATED = 1_763_999_990_000;

const sha = async (bytes: Uint8Array): Promise<string> =>
  encodeBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer)));

async function message(who: Identity, seq: number, prev: string): Promise<ChatMessage> {
  const fields = { roomId: ROOM, name: who.name, id: `m${seq}`, ts: CREATED + seq, text: `text ${seq}` };
  const record = { ...fields, seq, sig: await signMessage(who, fields), key: publicKeyOf(who) };
  return { ...record, at: record.ts, chain: await chainLink(prev, record) };
}

async function action(who: Identity, seq: number, prev: string, act: ModerationAction): Promise<ActionEntry> {
  const base = { seq, id: `a${seq}`, name: who.name, key: publicKeyOf(who), ts: CREATED + seq, action: act };
  const sig = await sign(who, moderationSigningBytes({ roomId: ROOM, ...base }));
  const chain = await sha(actionChainBytes(prev, { ...base, sig }));
  return { kind: 'action', ...base, sig, at: base.ts, chain };
}

function timeline(staff: RoomStaff): Timeline {
  const standing = new Standing(() => staff);
  const t = new Timeline({
    roomId: ROOM,
    members: new Members(() => undefined),
    changed: () => undefined,
    checked: () => undefined,
    other: (e, prev) => checkEntry(ROOM, e, prev, standing),
  });
  t.created(CREATED);
  return t;
}

async function verdicts(entries: Entry[], staff: RoomStaff): Promise<(boolean | undefined)[]> {
  const t = timeline(staff);
  t.append(entries);
  await until(() => t.messages.every((e) => e.verified !== undefined), 'checks');
  return t.messages.map((e) => e.verified);
}

describe('the chain through moderation entries', () => {
  it('verifies actions by staff and what follows them, through tombstones; flags the rest', async () => {
    const [olga, mia, max] = await Promise.all(['olga', 'mia', 'max'].map((n) => generateIdentity(n)));
    const staff: RoomStaff = {
      owner: publicKeyOf(olga!),
      moderators: [publicKeyOf(max!)],
      locked: false,
      slowModeMs: 0,
    };
    const genesis = await genesisLink(ROOM, CREATED);
    const m1 = await message(mia!, 1, genesis);
    const remove = await action(olga!, 2, m1.chain, { act: 'remove', seq: 1, chain: m1.chain });
    const m3 = await message(mia!, 3, remove.chain);
    equal(await verdicts([m1, remove, m3], staff), [true, true, true], 'owner action, in the chain');

    // History after the removal: the tombstone keeps its link, the action vouches for it.
    const tombstone: RemovedEntry = {
      kind: 'removed',
      ...{ seq: m1.seq, id: m1.id, name: m1.name, key: m1.key, ts: m1.ts, sig: m1.sig, at: m1.at, chain: m1.chain },
      removedBy: { seq: 2, name: 'olga', key: publicKeyOf(olga!) },
    };
    equal(await verdicts([tombstone, remove, m3], staff), [true, true, true], 'through a tombstone');

    // A moderator may lock; a member may not; nobody but the owner may promote.
    const lockByMax = await action(max!, 2, m1.chain, { act: 'lock' });
    const lockByMia = await action(mia!, 2, m1.chain, { act: 'lock' });
    const promoteByMax = await action(max!, 2, m1.chain, { act: 'promote', target: publicKeyOf(mia!) });
    equal(await verdicts([m1, lockByMax], staff), [true, true], 'moderator lock');
    equal(await verdicts([m1, lockByMia], staff), [true, false], 'member lock');
    equal(await verdicts([m1, promoteByMax], staff), [true, false], 'moderator promote');

    // Signed right but linked to the wrong predecessor; or its text changed after signing.
    const misplaced = await action(olga!, 2, genesis, { act: 'lock' });
    equal(await verdicts([m1, misplaced], staff), [true, false], 'wrong link');
    const altered: ActionEntry = { ...remove, action: { act: 'remove', seq: 1, chain: genesis } };
    equal(await verdicts([m1, altered], staff), [true, false], 'changed after signing');
  });
});
