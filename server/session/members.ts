/**
 * The member list a socket is given: the first page in its `welcome`, and
 * the pages it asks for with `members` frames. Pages are read from its room
 * group's view, the list that its `presence` frames change, so a page agrees
 * with the frames the socket received before it, and those after it
 * complete it. A socket whose welcome listed everyone, or that asked for the
 * first page, follows the whole list: its presence frames name every join
 * and leave from then on; the others get the count alone.
 *
 * Must never: read storage (a page from a fresher list than the socket's
 * could contradict the presence frame still on its way).
 */
import type { Member, MembersFrame, MembersPageFrame } from '../../protocol/frames.js';
import { MEMBER_PAGE } from '../../protocol/limits.js';
import type { Peer } from '../fanout/peer.js';
import type { RoomGroup } from '../fanout/room-group.js';
import { membersFrame } from '../wire/build.js';

export function membersPage(group: RoomGroup, peer: Peer, self: Member, frame: MembersFrame): MembersPageFrame {
  const { members, next, count } = group.memberPage(frame.after, frame.limit ?? MEMBER_PAGE, self);
  if (frame.after === undefined) peer.followsMembers = true;
  return membersFrame(frame.after ?? null, members, count, next);
}

/** The members a `welcome` lists, the joining socket included, and how many there are in all. */
export function welcomeMembers(group: RoomGroup, peer: Peer, self: Member): { members: Member[]; count: number } {
  const { members, next, count } = group.memberPage(undefined, MEMBER_PAGE, self);
  peer.followsMembers = next === null;
  return { members, count };
}
