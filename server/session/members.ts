/**
 * The answer to a `members` frame: one page of the member list this socket
 * holds, in name order, read from its room group's view, so a page agrees
 * with the `presence` frames the socket received before it and those after
 * it complete it.
 *
 * Must never: read storage (a page from a fresher list than the socket's
 * could contradict the presence frame still on its way).
 */
import type { MembersFrame, MembersPageFrame } from '../../protocol/frames.js';
import { MEMBER_PAGE } from '../../protocol/limits.js';
import type { RoomGroup } from '../fanout/room-group.js';
import { membersFrame } from '../wire/build.js';

export function membersPage(group: RoomGroup, frame: MembersFrame): MembersPageFrame {
  const { members, next } = group.memberPage(frame.after, frame.limit ?? MEMBER_PAGE);
  return membersFrame(frame.after ?? null, members, group.memberCount(), next);
}

/** The members a `welcome` lists: the first page; `room.memberCount` tells how many there are in all. */
export function welcomeMembers(group: RoomGroup): MembersPageFrame['members'] {
  return group.memberPage(undefined, MEMBER_PAGE).members;
}
