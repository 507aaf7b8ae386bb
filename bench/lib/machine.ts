import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { statfsSync } from 'node:fs';

// The machine the figures were taken on, for results.json and the README: a figure without its
// machine means little.

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

export function formatMachine(machine: Machine): string {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.ramGb} GB RAM, Node ${machine.node}, ${machine.os}`;
}

/** Free bytes on the file system holding `dir` and free memory, checked before big fixtures. */
export function freeSpace(dir: string): { diskBytes: number; memBytes: number } {
  const stats = statfsSync(dir);
  return { diskBytes: stats.bavail * stats.bsize, memBytes: freemem() };
}
