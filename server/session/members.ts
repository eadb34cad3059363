/**
 * The member list a socket is given: the first page in its `welcome`, and
 * the pages it asks for with `members` frames. Pages are read from its room
 * group's view, the list that its `presence` frames change, so a page agrees
 * with the frames the socket received before it, and those after it
 * complete it. Asking for the first page makes the socket follow the whole
 * list: from that answer on, its presence frames name every join and leave.
 *
 * Must never: read storage (a page from a fresher list than the socket's
 * could contradict the presence frame still on its way).
 */
import type { Member, MembersFrame, MembersPageFrame } from '../../protocol/frames.js';
import { MEMBER_PAGE } from '../../protocol/limits.js';
import type { Peer, RoomGroup } from '../fanout/room-group.js';
import { membersFrame } from '../wire/build.js';

export function membersPage(group: RoomGroup, peer: Peer, frame: MembersFrame): MembersPageFrame {
  const { members, next } = group.memberPage(frame.after, frame.limit ?? MEMBER_PAGE);
  if (frame.after === undefined) peer.followsMembers = true;
  return membersFrame(frame.after ?? null, members, group.memberCount(), next);
}

/**
 * The members a `welcome` lists, the joining socket included: the first page;
 * a socket that got them all follows the list from then on.
 */
export function welcomeMembers(
  group: RoomGroup,
  peer: Peer,
  self: Member,
): { members: readonly Member[]; count: number } {
  const { members, count, whole } = group.welcomeMembers(self, MEMBER_PAGE);
  peer.followsMembers = whole;
  return { members, count };
}
