/**
 * The room group's rollback check (server/fanout/chain-watch.ts) on both of
 * its paths: a message this process's storage made (the link it extended is
 * known, no hash) and one read or received from elsewhere (hashed again).
 * Both must give the same answer.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extendedLink, genesisLink, toStored } from '../../adapters/rules.js';
import type { ChatMessage } from '../../protocol/frames.js';
import { ChainWatch } from '../../server/fanout/chain-watch.js';
import { msg } from '../adapters/contract-fixtures.js';

const copy = (m: ChatMessage): ChatMessage => JSON.parse(JSON.stringify(m)) as ChatMessage;

test('a message extends the delivered link, or does not, whether this process made it or not', () => {
  const genesis = genesisLink('room-1', 1_700_000_000_000);
  const first = toStored(msg('amy', 'a1', 'one'), 1, genesis);
  const watch = new ChainWatch();
  watch.anchor(1, first.chain);

  const next = toStored(msg('amy', 'a2', 'two'), 2, first.chain);
  assert.is(extendedLink(next), first.chain);
  assert.ok(watch.extends(next), 'made here, on the delivered link');
  assert.is(extendedLink(copy(next)), undefined);
  assert.ok(watch.extends(copy(next)), 'received, hashed again');

  // Storage that went back made seq 2 on another branch: the link it extended is not the one delivered.
  const branch = toStored(msg('bea', 'b1', 'elsewhere'), 1, genesis);
  const stray = toStored(msg('amy', 'a2', 'two'), 2, branch.chain);
  assert.not.ok(watch.extends(stray), 'made here, on another link');
  assert.not.ok(watch.extends(copy(stray)), 'received, on another link');

  // A received message whose text was changed after its link was made does not extend either.
  assert.not.ok(watch.extends({ ...copy(next), text: 'changed' }));
});

test('a seq already delivered under another link is a rewrite; a late copy of the same one is not', () => {
  const genesis = genesisLink('room-2', 1_700_000_000_000);
  const watch = new ChainWatch();
  watch.anchor(0, genesis);
  const one = toStored(msg('amy', 'a1', 'one'), 1, genesis);
  assert.ok(watch.extends(one));
  watch.delivered(one);
  assert.not.ok(watch.rewrites(copy(one)));
  const other = toStored(msg('amy', 'x1', 'another one'), 1, genesis);
  assert.ok(watch.rewrites(other));
});

test.run();
