// Starts the simulator and the gateway as separate processes from the build,
// so the load generator, the gateway and the upstream do not share one event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Proc {
  child: ChildProcess;
  url: string;
  /** Resident set size now and at its peak, in MiB (from /proc). */
  rss(): { now: number; peak: number };
  stop(): Promise<void>;
}

function readRss(pid: number): { now: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { now: NaN, peak: NaN };
  }
}

/** CPU time (user + system) the process has used so far, in µs (from /proc; clock-tick resolution). */
export function cpuMicros(pid: number): number {
  try {
    // Fields after the command name, which sits in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1_000_000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** CPU time of a process and all its descendants (a cluster primary and its workers), in µs. */
export function treeCpuMicros(pid: number): number {
  let total = cpuMicros(pid);
  for (const child of childrenOf(pid)) total += treeCpuMicros(child);
  return total;
}

function childrenOf(pid: number): number[] {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS = 100;

/** Resets VmHWM so the next peak reading covers only what follows. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    /* not permitted: the peak then covers the whole run */
  }
}

export function startProcess(root: string, args: string[], env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Proc> {
  return startScript(join(root, 'dist', 'cli.js'), args, env, ready, nodeArgs);
}

/** Runs `node <script> …args` until its stdout matches `ready` (group 1: its URL). */
export function startScript(script: string, args: string[], env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Proc> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        resolve({
          child,
          url: m[1]!,
          rss: () => readRss(child.pid!),
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready: ${err || out}`)));
  });
}
