/**
 * Big rooms (issue 12 item 8): `bigRoom` members join one room, `bigRoomInFlight`
 * joins at a time, and stay. The figure is the time until every member has
 * its welcome and a member list of the full count; bytes are counted per
 * join. The baseline is the floor under it: the same number of WebSocket
 * connections opened against bare `ws` by the same load generator.
 */
import type { Sizes } from '../config.js';
import type { BigRoomReport } from '../loadgen/bigroom.js';
import { figure, type Figure, type Measure } from '../lib/results.js';
import { withSession, type RunOptions } from '../lib/session.js';

export interface BigRoomMeasure extends Measure {
  report: BigRoomReport;
}

export async function bigRoom(sizes: Sizes, opts: RunOptions): Promise<BigRoomMeasure> {
  return withSession('tiny', opts, async (s) => {
    const { result: report, cpu } = await s.measure<BigRoomReport>('bigRoom', {
      url: s.url,
      members: sizes.bigRoom,
      inFlight: sizes.bigRoomInFlight,
      settleMs: 60_000,
    });
    await s.loadgen.request('closeBigRoom');
    const warnings = report.errors.map((e) => `error: ${e}`);
    if (report.joined !== sizes.bigRoom) warnings.push(`${report.joined} of ${sizes.bigRoom} joined`);
    if (report.converged !== sizes.bigRoom) warnings.push(`${report.converged} member lists reached the full count`);
    return { value: report.convergedMs / 1000, cpu, warnings, report };
  });
}

/** The floor: as many sockets opened against bare ws, the same number at a time. */
export async function bigRoomBaseline(sizes: Sizes, opts: RunOptions): Promise<Measure> {
  return withSession('ws', opts, async (s) => {
    const t0 = performance.now();
    const { result: r, cpu } = await s.measure<{ connected: number }>('idle', {
      kind: 'ws',
      url: s.url,
      count: sizes.bigRoom,
      roomSize: sizes.bigRoom,
    });
    const seconds = (performance.now() - t0) / 1000;
    await s.loadgen.request('closeAll');
    const warnings = r.connected === sizes.bigRoom ? [] : [`${r.connected} of ${sizes.bigRoom} connected`];
    return { value: seconds, cpu, warnings };
  });
}

/** The scenario's figures: the time against bare ws, and the welcome's bytes against the whole list's. */
export async function bigRoomFigures(sizes: Sizes, opts: RunOptions, log: (s: string) => void): Promise<Figure[]> {
  const base = await bigRoomBaseline(sizes, opts);
  const tiny = await bigRoom(sizes, opts);
  const r = tiny.report;
  const perJoin = (bytes: number): number => bytes / Math.max(1, r.joined);
  log(
    `big room: ${r.joined} joined in ${(r.joinMs / 1000).toFixed(1)} s, every list full at ${(r.convergedMs / 1000).toFixed(1)} s; ` +
      `per join: welcome ${Math.round(perJoin(r.welcomeBytes))} B, presence to all members ${Math.round(perJoin(r.presenceBytes))} B ` +
      `(${r.presenceFrames} presence frames in all); whole list ${r.listBytes} B in ${r.listed} members; ` +
      `CPU while measured: server ${tiny.cpu?.server.toFixed(2)} cores, load generator ${tiny.cpu?.loadgen.toFixed(2)}`,
  );
  const members = `${sizes.bigRoom} members`;
  return [
    figure('bigroom', `s until ${members} joined and listed`, 's', tiny, 'bare ws, same count connected', base, null),
    figure(
      'bigroom',
      'welcome bytes per join',
      'bytes',
      { value: perJoin(r.welcomeBytes) },
      `the whole list at ${members}`,
      { value: r.listBytes },
      null,
    ),
    figure(
      'bigroom',
      'presence bytes per join, all members',
      'bytes',
      { value: perJoin(r.presenceBytes) },
      `the whole list at ${members}`,
      { value: r.listBytes },
      null,
    ),
  ];
}
