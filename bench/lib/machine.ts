import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** One line describing the machine and runtimes the numbers come from. */
export function describeMachine(chromiumPath?: string): string {
  const cpu = cpus();
  let chromium = '';
  if (chromiumPath) {
    try {
      chromium = `, ${execFileSync(chromiumPath, ['--version'], { encoding: 'utf8' }).trim()}`;
    } catch {
      chromium = '';
    }
  }
  return `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}${chromium}`;
}
