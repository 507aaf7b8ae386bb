import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/manifest/format.js';
import { loadManifest } from '../../../src/manifest/load.js';

// Each test/fixtures/manifests/invalid-*/bach.yaml is loaded from disk and its formatted
// diagnostics are compared with the diagnostics.txt beside it (update with `vitest -u`).

const fixtures = fileURLToPath(new URL('../../fixtures/manifests/', import.meta.url));
const cases = readdirSync(fixtures).sort();

describe('manifest fixtures', () => {
  it('has at least a dozen invalid cases', () => {
    expect(cases.filter((name) => name.startsWith('invalid-')).length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases.filter((name) => name.startsWith('invalid-')))('%s', async (name) => {
    const result = await loadManifest(name, { cwd: fixtures });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const sources = new Map(result.source ? [[result.source.file, result.source.text]] : []);
    // Only the absolute folder is replaced: backslashes in the manifests are part of the snapshot.
    const text = formatDiagnostics(result.diagnostics, sources).split(fixtures.replace(/\/$/, '')).join('<fixtures>');
    await expect(text).toMatchFileSnapshot(`../../fixtures/manifests/${name}/diagnostics.txt`);
  });

  it.each(cases.filter((name) => name.startsWith('valid-')))('%s', async (name) => {
    const result = await loadManifest(name, { cwd: fixtures });
    expect(result.ok ? [] : result.diagnostics).toEqual([]);
  });
});
