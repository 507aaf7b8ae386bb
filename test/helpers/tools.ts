import { findExecutable } from '../../src/cut/find-executable.js';

// A system tool a test needs (chromium, ffmpeg). In CI (`CI` set) a missing tool fails the test file
// at once — those tests must run there; locally the tests are skipped, saying which Debian package
// to install.

export interface Tool {
  path: string | null;
  skip: boolean;
  /** For a describe title: empty when the tool is there. */
  note: string;
}

export function requireTool(name: string, debianPackage: string): Tool {
  const path = findExecutable(name, process.env);
  if (path) return { path, skip: false, note: '' };
  if (process.env.CI) throw new Error(`${name} is required in CI and was not found on the PATH: apt-get install ${debianPackage}`);
  const note = ` (skipped: ${name} not found; apt-get install ${debianPackage})`;
  console.warn(`bach-render tests${note}`);
  return { path: null, skip: true, note };
}
