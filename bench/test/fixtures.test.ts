import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { canonicalJsonPretty as canonicalJson } from '../../src/util/canonical-json.js';
import { imageStoryboard, textShots, textStoryboard, writeImages, writeStoryboard } from '../lib/fixtures.js';
import { summarize } from '../lib/summary.js';

// Smoke test of the bench's own building blocks (no timings): the generated storyboards are valid
// for the real CLI, the images are real PNGs of the asked size, and the helpers compute what they say.

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'bach-bench-test-'));
  roots.push(root);
  return root;
}

describe('bench fixtures', () => {
  it('writes distinct PNGs of the requested size that `bach-render validate` accepts in an image storyboard', async () => {
    const root = tempRoot();
    const images = await writeImages(root, 5, 64 * 1024);
    await writeStoryboard(root, imageStoryboard(12, images));
    const files = images.map((path) => readFileSync(join(root, path)));
    for (const bytes of files) {
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(Math.abs(bytes.length - 64 * 1024)).toBeLessThan(64);
    }
    expect(new Set(files.map((bytes) => bytes.toString('base64'))).size).toBe(5);
    expect(statSync(join(root, 'bach.yaml')).size).toBeGreaterThan(0);
    const result = await runCli(['validate'], { cwd: root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('writes a text storyboard that `bach-render validate` accepts', async () => {
    const root = tempRoot();
    await writeStoryboard(root, textStoryboard(textShots(64), '1080p'));
    const result = await runCli(['validate'], { cwd: root });
    expect(result.code).toBe(0);
  });

  it('summarizes runs and writes canonical JSON the way bach.lock is written', () => {
    expect(summarize([5, 1, 3])).toMatchObject({ median: 3, min: 1, max: 5 });
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
