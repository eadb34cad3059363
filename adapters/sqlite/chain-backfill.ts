/**
 * Gives rooms stored before the hash chain existed their links: each one's
 * retained messages, in seq order, are chained from its genesis link. Their
 * trimmed messages were never chained, so nobody can hold a link this
 * contradicts. Runs at startup, once per room (a chained room has a
 * last_chain), in one transaction.
 */
import type Database from 'better-sqlite3';
import { genesisLink, nextLink } from '../rules.js';
import { toMessage, type MessageRow } from './statements.js';

export function backfillChains(db: Database.Database): void {
  const rooms = db.prepare<[], { id: string; created_at: number; first_seq: number }>(
    'SELECT id, created_at, first_seq FROM rooms WHERE last_chain IS NULL',
  );
  // Only what history keeps: rows below first_seq are trimmed and wait for a run of deletions (./appends.ts).
  const messages = db.prepare<[string, number], MessageRow>(
    'SELECT * FROM messages WHERE room_id = ? AND seq >= ? ORDER BY seq',
  );
  const setChain = db.prepare<[string, string, number]>('UPDATE messages SET chain = ? WHERE room_id = ? AND seq = ?');
  const setLast = db.prepare<[string, string]>('UPDATE rooms SET last_chain = ? WHERE id = ?');
  db.transaction(() => {
    for (const room of rooms.all()) {
      let link = genesisLink(room.id, room.created_at);
      for (const row of messages.all(room.id, room.first_seq)) {
        link = nextLink(link, toMessage(row));
        setChain.run(link, room.id, row.seq);
      }
      setLast.run(link, room.id);
    }
  }).immediate();
}
