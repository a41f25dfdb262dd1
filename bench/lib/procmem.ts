import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** One process of a chromium instance, with its role (`browser`, `renderer`, `gpu-process`, `utility`, `zygote`). */
export interface ChromiumProcess {
  pid: number;
  type: string;
}

// Chromium rewrites its children's argv into one space-separated string, so match on the joined line.
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

const typeOf = (line: string) => /--type=(\S+)/.exec(line)?.[1] ?? null;

/** The processes of the chromium launched with `marker` on its command line: the browser and its descendants. */
export function chromiumProcesses(marker: string): ChromiumProcess[] {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const parent = new Map<number, number>();
  for (const pid of pids) {
    try {
      // The command name may hold spaces and parentheses: the ppid is the second field after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const root = pids.find((pid) => { const c = cmdline(pid); return c.split(' ').includes(marker) && typeOf(c) === null; });
  if (root === undefined) return [];
  const out: ChromiumProcess[] = [{ pid: root, type: 'browser' }];
  const within = (pid: number): boolean => { for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === root) return true; return false; };
  for (const pid of pids) {
    if (pid === root || !within(pid)) continue;
    const line = cmdline(pid);
    // Chromium's own UI (top-chrome WebUI) renderer is not the page's: keep it apart.
    out.push({ pid, type: line.includes('--top-chrome-webui') ? 'webui-renderer' : typeOf(line) ?? 'other' });
  }
  return out;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident set size now, in MB. */
export const rssMB = (pid: number) => statusKb(pid, 'VmRSS') / 1024;
/** Peak resident set size (kernel's VmHWM) since start or the last `resetPeak`, in MB. */
export const peakMB = (pid: number) => statusKb(pid, 'VmHWM') / 1024;

/** Reset the kernel's peak RSS of a process (writing 5 to clear_refs); false when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Sample the summed RSS of a set of processes every `everyMs` until stopped; returns the highest sum seen. */
export function sampleTotal(pids: () => number[], everyMs = 100): { stop(): number } {
  let peak = 0;
  const tick = () => { peak = Math.max(peak, pids().reduce((n, pid) => n + rssMB(pid), 0)); };
  tick();
  const timer = setInterval(tick, everyMs);
  return { stop: () => { clearInterval(timer); tick(); return peak; } };
}

/** Run a command under `/usr/bin/time -v`; returns its peak RSS (MB), wall time and stdout. */
export function timeVerbose(cmd: string, args: string[]): Promise<{ peakMB: number; ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('/usr/bin/time', ['-v', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      const ms = performance.now() - t0;
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (code !== 0 || !kb) reject(new Error(`${cmd} failed (${code}): ${stderr.slice(-500)}`));
      else resolve({ peakMB: Number(kb[1]) / 1024, ms, stdout });
    });
  });
}
