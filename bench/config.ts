/**
 * Sizes of every scenario: the full bench (under five minutes on two cores)
 * and the smoke run that `npm test` does to keep the bench from rotting.
 */
export interface Sizes {
  /**
   * Runs of each network measurement (ingest, both fan-out shapes, latency), interleaved with their baselines;
   * each figure is each server's median run. Single runs moved by a third on a shared two-core machine.
   */
  repeats: number;
  warmupMs: number;
  durationMs: number;
  verifyMs: number;
  /** Fan-out and latency: one room of this many members, this many of them sending. */
  members: number;
  senders: number;
  /** Messages in flight in the fan-out closed loop. */
  fanoutWindow: number;
  /** Upper bound of the fan-out rate in messages/s, to know how many to sign. */
  fanoutMaxMsgs: number;
  /** The second fan-out shape: this many rooms of `manyRoomSize`, one sender and `manyWindow` in flight per room. */
  manyRooms: number;
  manyRoomSize: number;
  manyWindow: number;
  manyMaxMsgs: number;
  /** Load-generator processes for fan-out, ingest and latency (each should stay below about 0.7 of a core). */
  loadgens: number;
  /** Ingest: rooms of two, every member with this many unacknowledged sends. */
  ingestRooms: number;
  ingestWindow: number;
  /** Ingest messages signed per second of window, as a multiple of the raw verify rate. */
  ingestHeadroom: number;
  connections: number;
  roomSize: number;
  /** Big room: this many members join one room, this many joins at a time. */
  bigRoom: number;
  bigRoomInFlight: number;
  /** scaleout: rooms of this many members, each room on one of three instances, this many messages each. */
  scaleoutRooms: number;
  scaleoutMembers: number;
  scaleoutPerRoom: number;
  /**
   * Latency: fixed offered loads (messages/s into the room), the same for tiny-chat and the pre-framed server,
   * each with issue 15's goal for its p99: a ratio to the pre-framed server's, or an absolute bound in ms.
   */
  latency: { rate: number; p99: { ratio: number } | { ms: number } }[];
  /** Append micro-benchmark and long room: messages streamed into one room, this many per turn. */
  appendMessages: number;
  appendBurst: number;
  /** Messages in the start and end samples of the long room. */
  appendSample: number;
}

export const FULL: Sizes = {
  repeats: 3,
  warmupMs: 1000,
  durationMs: 5000,
  verifyMs: 3000,
  members: 100,
  senders: 4,
  fanoutWindow: 32,
  // Above what the fastest server reaches (the pre-framed one ran out at 4,000 and 8,000, and 12,000 many-room).
  fanoutMaxMsgs: 16_000,
  manyRooms: 1000,
  manyRoomSize: 10,
  manyWindow: 2,
  manyMaxMsgs: 30_000,
  loadgens: 2,
  ingestRooms: 64,
  ingestWindow: 8,
  ingestHeadroom: 2,
  connections: 10_000,
  roomSize: 10,
  bigRoom: 10_000,
  bigRoomInFlight: 100,
  scaleoutRooms: 1000,
  scaleoutMembers: 10,
  scaleoutPerRoom: 3,
  latency: [
    { rate: 500, p99: { ratio: 2 } },
    { rate: 2000, p99: { ms: 50 } },
  ],
  appendMessages: 50_000,
  appendBurst: 32,
  appendSample: 2000,
};

export const SMOKE: Sizes = {
  repeats: 1,
  warmupMs: 50,
  durationMs: 200,
  verifyMs: 100,
  members: 5,
  senders: 2,
  fanoutWindow: 4,
  fanoutMaxMsgs: 10_000,
  manyRooms: 4,
  manyRoomSize: 3,
  manyWindow: 1,
  // The bare ws servers turn four rooms' messages round in about 0.1 ms: 2,000 ran out inside the warm-up.
  manyMaxMsgs: 40_000,
  // Two, so that the smoke run goes through the split between load generators.
  loadgens: 2,
  ingestRooms: 2,
  ingestWindow: 2,
  ingestHeadroom: 2,
  connections: 20,
  roomSize: 5,
  bigRoom: 20,
  bigRoomInFlight: 5,
  scaleoutRooms: 6,
  scaleoutMembers: 2,
  scaleoutPerRoom: 1,
  latency: [{ rate: 50, p99: { ratio: 2 } }],
  appendMessages: 2000,
  appendBurst: 8,
  appendSample: 200,
};
