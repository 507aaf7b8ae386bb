// Preloaded into a measured child (NODE_OPTIONS=--import=<this file>): on exit, writes the
// process's peak resident set size to <BACH_BENCH_RSS_DIR>/<pid>.json. Measures without any change
// to the product and without system tools; 'exit' also runs after process.exit(). Node processes
// the CLI starts (e.g. its submitter) inherit NODE_OPTIONS and the variable and report too, each in
// its own file, so the bench can tell the CLI's own figure from its helpers'. `peakRss` is also
// imported by measured children that report their figure themselves (remote-transfer.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BACH_BENCH_RSS_DIR;
if (dir) {
  process.on('exit', () => {
    const record = { pid: process.pid, ppid: process.ppid, argv: process.argv.slice(1), maxRssBytes: peakRss() };
    try {
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(record));
    } catch {
      // The bench already removed the folder (a helper that outlived its reading): nothing to report.
    }
  });
}

/**
 * The process's own peak RSS (VmHWM of its address space). Not getrusage's maxRSS: Linux carries that
 * across exec, so a child reports its parent's size at spawn whenever the parent was larger (measured:
 * a child of a 300 MB parent reported 303 MB where its own peak was 39 MB).
 */
export function peakRss() {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS * 1024;
}
