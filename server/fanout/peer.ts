/**
 * A socket as a room group sees it (./room-group.ts): what the group reads
 * and sets on it, and how it sends to and closes it. The session
 * (server/session/session.ts) is the one implementation.
 */
import type { PublicKey } from '../../protocol/frames.js';
import type { Closing } from '../wire/build.js';
import type { EncodedFrame } from '../wire/encoded-frame.js';

/** What a room group needs from a socket that joined it. */
export interface Peer {
  readonly connId: string;
  /** Highest sequence number this socket holds; only seq = lastSeq + 1 is sent next. */
  lastSeq: number;
  /** False while the join is in progress; messages are then held for the welcome. */
  welcomed: boolean;
  /** Holds the whole member list, so its presence frames name every join and leave (else: the count alone). */
  followsMembers: boolean;
  /** A string is one frame for this peer; an EncodedFrame is shared by every peer it goes to. */
  send(data: string | EncodedFrame): void;
  /** Sends the closing frame, then closes with its code. */
  closeWith(c: Closing): void;
  /** Adds this socket's presence back after storage lost it while the socket lived. */
  restorePresence(): Promise<void>;
  /** Whether this socket joined (or is joining) with `key`: a kick or ban closes it. */
  hasKey(key: PublicKey): boolean;
}
