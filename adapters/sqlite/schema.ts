/**
 * The SQLite schema as an append-only list of migrations. PRAGMA user_version
 * records how many have run; a new version appends a step and never edits an
 * old one, so any older database file upgrades in place at startup.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE rooms (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    idle_timeout_ms INTEGER NOT NULL,
    owner TEXT,
    require_auth INTEGER NOT NULL DEFAULT 0,
    last_active_at INTEGER NOT NULL,
    -- Highest number ever assigned: kept on the room, not derived from messages, so trimming never reuses one.
    last_seq INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX rooms_owner ON rooms (owner) WHERE owner IS NOT NULL;
  CREATE INDEX rooms_expires ON rooms (expires_at);

  CREATE TABLE tombstones (
    id TEXT PRIMARY KEY,
    reason TEXT NOT NULL CHECK (reason IN ('expired', 'idle')),
    at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE pins (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    key_id TEXT NOT NULL,
    name TEXT NOT NULL,
    skeleton TEXT NOT NULL,
    subject TEXT,
    PRIMARY KEY (room_id, key_id),
    UNIQUE (room_id, skeleton)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE presence (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    conn_id TEXT NOT NULL,
    name TEXT NOT NULL,
    key_alg TEXT NOT NULL,
    key_pub TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, conn_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX presence_expires ON presence (expires_at);

  CREATE TABLE messages (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    ts INTEGER NOT NULL,
    text TEXT NOT NULL,
    sig TEXT NOT NULL,
    key_alg TEXT NOT NULL,
    key_pub TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq)
  ) STRICT, WITHOUT ROWID;

  -- Outlives trimmed messages for the dedupe window, so a replay of one is still caught.
  CREATE TABLE dedupe (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    digest TEXT NOT NULL,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, name, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX dedupe_seq ON dedupe (room_id, seq);
  `,
  // Whether a name is live, and how many names are, once per join and leave: by index, not by scanning
  // the room's presence, so a room of n members costs O(log n) per join here (issue 12, big rooms).
  `
  CREATE INDEX presence_name ON presence (room_id, name, expires_at);
  `,
  // 3: messages and dedupe rows in rowid tables, found by a (room_id, seq)
  // index. Rows then add to the end of their trees, where SQLite fills pages
  // full; a WITHOUT ROWID tree splits its last page three ways and rewrote
  // about three times the pages per commit. This instance looks dedupe
  // entries up in memory (./appends.ts), loaded from here when a room is first
  // written after start or after another process wrote the file, so the
  // (name, id) index, whose every insert dirtied a random page, is gone.
  `
  CREATE TABLE messages_v2 (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    ts INTEGER NOT NULL,
    text TEXT NOT NULL,
    sig TEXT NOT NULL,
    key_alg TEXT NOT NULL,
    key_pub TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  INSERT INTO messages_v2 SELECT * FROM messages ORDER BY room_id, seq;
  DROP TABLE messages;
  ALTER TABLE messages_v2 RENAME TO messages;
  CREATE UNIQUE INDEX messages_seq ON messages (room_id, seq);

  CREATE TABLE dedupe_v2 (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    id TEXT NOT NULL,
    digest TEXT NOT NULL,
    stored_at INTEGER NOT NULL
  ) STRICT;
  INSERT INTO dedupe_v2 (room_id, seq, name, id, digest, stored_at)
    SELECT room_id, seq, name, id, digest, stored_at FROM dedupe ORDER BY room_id, seq;
  DROP TABLE dedupe;
  ALTER TABLE dedupe_v2 RENAME TO dedupe;
  CREATE UNIQUE INDEX dedupe_seq ON dedupe (room_id, seq);

  -- The lowest seq history keeps. Reads stop there; the rows below it are
  -- deleted in runs, not one per append.
  ALTER TABLE rooms ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 1;
  UPDATE rooms SET first_seq = coalesce((SELECT min(seq) FROM messages WHERE room_id = rooms.id), last_seq + 1);
  `,
  // The hash chain (protocol/chain.ts). A room's last link lives on the room, as last_seq does, so trimming never
  // loses it; NULL only for rooms made before this step, which ./chain-backfill.ts fills in at startup.
  `
  ALTER TABLE rooms ADD COLUMN last_chain TEXT;
  ALTER TABLE messages ADD COLUMN chain TEXT NOT NULL DEFAULT '';
  `,
  // 5: a room's connection and member counts kept as its presence changes, by triggers, so that no path that
  // writes presence can forget them; counting the room's rows per join cost O(n) (issue 12, big rooms). They
  // count every row, expired or not: a reader uses them only while no row of the room is past its ttl, which
  // (room_id, expires_at) answers in O(log n), and counts the rows otherwise (./storage.ts, #counts).
  `
  CREATE TABLE presence_names (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    sockets INTEGER NOT NULL,
    PRIMARY KEY (room_id, name)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO presence_names SELECT room_id, name, count(*) FROM presence GROUP BY room_id, name;
  ALTER TABLE rooms ADD COLUMN connections INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE rooms ADD COLUMN members INTEGER NOT NULL DEFAULT 0;
  UPDATE rooms SET
    connections = (SELECT count(*) FROM presence WHERE room_id = rooms.id),
    members = (SELECT count(*) FROM presence_names WHERE room_id = rooms.id);
  CREATE INDEX presence_room_expires ON presence (room_id, expires_at);

  CREATE TRIGGER presence_added AFTER INSERT ON presence BEGIN
    INSERT INTO presence_names (room_id, name, sockets) VALUES (new.room_id, new.name, 1)
      ON CONFLICT (room_id, name) DO UPDATE SET sockets = sockets + 1;
    UPDATE rooms SET connections = connections + 1,
      members = members + (SELECT sockets = 1 FROM presence_names WHERE room_id = new.room_id AND name = new.name)
      WHERE id = new.room_id;
  END;
  CREATE TRIGGER presence_removed AFTER DELETE ON presence BEGIN
    UPDATE presence_names SET sockets = sockets - 1 WHERE room_id = old.room_id AND name = old.name;
    UPDATE rooms SET connections = connections - 1,
      members = members - (SELECT sockets = 0 FROM presence_names WHERE room_id = old.room_id AND name = old.name)
      WHERE id = old.room_id;
    DELETE FROM presence_names WHERE room_id = old.room_id AND name = old.name AND sockets = 0;
  END;
  -- A connection added again under another name (upsertPresence) leaves the old name and joins the new one.
  CREATE TRIGGER presence_renamed AFTER UPDATE OF name ON presence WHEN old.name <> new.name BEGIN
    UPDATE presence_names SET sockets = sockets - 1 WHERE room_id = old.room_id AND name = old.name;
    INSERT INTO presence_names (room_id, name, sockets) VALUES (new.room_id, new.name, 1)
      ON CONFLICT (room_id, name) DO UPDATE SET sockets = sockets + 1;
    UPDATE rooms SET
      members = members
        - (SELECT sockets = 0 FROM presence_names WHERE room_id = old.room_id AND name = old.name)
        + (SELECT sockets = 1 FROM presence_names WHERE room_id = new.room_id AND name = new.name)
      WHERE id = new.room_id;
    DELETE FROM presence_names WHERE room_id = old.room_id AND name = old.name AND sockets = 0;
  END;
  `,
  // 6: a room ended before its deadlines (by an operator, DELETE /rooms/:id) is remembered as 'ended'.
  // SQLite cannot alter a CHECK, so the small tombstones table is copied.
  `
  CREATE TABLE tombstones_v2 (
    id TEXT PRIMARY KEY,
    reason TEXT NOT NULL CHECK (reason IN ('expired', 'idle', 'ended')),
    at INTEGER NOT NULL
  ) STRICT;
  INSERT INTO tombstones_v2 SELECT id, reason, at FROM tombstones;
  DROP TABLE tombstones;
  ALTER TABLE tombstones_v2 RENAME TO tombstones;
  `,
  // 7: moderation (protocol/moderation.ts). The quota holder was called owner: it is the creator now, and the
  // owner is a key. Actions and tombstones are rows of the messages table, in the room's one order, told apart
  // by kind (NULL for a message); a tombstone's text is '' (the adapter runs with secure_delete, so the
  // bytes it had are overwritten, not left in a free block). Moderators keep the seq of their promote, which
  // orders them. Bans keep the subject the key was bound with, if any, so a sign-in room refuses it too.
  `
  ALTER TABLE rooms RENAME COLUMN owner TO creator;
  ALTER TABLE rooms ADD COLUMN owner_alg TEXT;
  ALTER TABLE rooms ADD COLUMN owner_pub TEXT;
  ALTER TABLE rooms ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE rooms ADD COLUMN slow_mode_ms INTEGER NOT NULL DEFAULT 0;

  ALTER TABLE messages ADD COLUMN kind TEXT CHECK (kind IN ('action', 'removed'));
  -- An action's JSON (kind 'action'); the remover as {seq, name, key} JSON (kind 'removed').
  ALTER TABLE messages ADD COLUMN detail TEXT;

  CREATE TABLE moderators (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    key_alg TEXT NOT NULL,
    key_pub TEXT NOT NULL,
    since_seq INTEGER NOT NULL,
    PRIMARY KEY (room_id, key_alg, key_pub)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE bans (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    key_id TEXT NOT NULL,
    subject TEXT,
    PRIMARY KEY (room_id, key_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX bans_subject ON bans (room_id, subject) WHERE subject IS NOT NULL;

  CREATE TABLE kicks (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    key_id TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (room_id, key_id)
  ) STRICT, WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the steps the file has not run; `upTo` stops early (tests make an older file with it). */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(`database schema version ${version} is newer than this tiny-chat (${MIGRATIONS.length})`);
    }
    for (let v = version; v < upTo; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${Math.max(version, upTo)}`);
  }).immediate();
}
