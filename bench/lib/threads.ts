/**
 * CPU time per thread of a process, from /proc/PID/task/TID/stat: the split
 * that process.cpuUsage cannot give (it sums every thread). The sampling
 * profiler cannot give it either on a busy machine: it counts time spent
 * waiting for a core as the sampled function's own time.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** User and system CPU seconds of one thread (system: in the kernel, e.g. socket writes), or 0 once it has exited. */
export function threadTimes(pid: number, tid: number): { user: number; system: number } {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  } catch {
    return { user: 0, system: 0 };
  }
  // Fields 14 and 15 (utime, stime), counted after the parenthesised name, which may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
}

/** User + system CPU seconds of one thread. */
export function threadSeconds(pid: number, tid: number): number {
  const t = threadTimes(pid, tid);
  return t.user + t.system;
}

/** The ids of the threads a process has now. */
export function threadIds(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number);
}

/** This thread's id (Linux): /proc/thread-self links to PID/task/TID. */
export const THREAD_SELF_SOURCE = `Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop())`;
