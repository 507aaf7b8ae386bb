import { describe, expect, it } from 'vitest';
import { loadManifestFromText } from '../../../src/manifest/from-text.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { listFilesOfInvalid, listWatchFiles } from '../../../src/watch/watch-list.js';

// The explicit list watch mode watches: the manifest and every local file it references — never
// what bach-render writes itself (videos, lockfile, .bach/), even when the manifest points there.

function manifestOf(text: string): Manifest {
  const result = loadManifestFromText(text, { facts: { 'prompts/p.md': {}, 'renders/hero.mp4': {} } });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.manifest;
}

describe('listWatchFiles', () => {
  it('is the manifest plus every image, subject image and prompt file, sorted and unique', () => {
    const manifest = manifestOf(`version: 1
subjects:
  hero: { images: [refs/front.png, refs/side.png] }
shots:
  - { id: a, mode: image-to-video, image: frames/a.png }
  - { id: b, mode: multi-image-to-video, images: [frames/a.png, https://example.com/x.png], subject: hero, prompt_file: prompts/p.md }
`);
    expect(listWatchFiles(manifest)).toEqual(['bach.yaml', 'frames/a.png', 'prompts/p.md', 'refs/front.png', 'refs/side.png']);
  });

  it('keeps inputs inside the output folder but never the videos, the lockfile or .bach/', () => {
    const manifest = manifestOf(`version: 1
output: renders
shots:
  - { id: hero, mode: image-to-video, image: renders/still.png }
  - { id: b, mode: image-to-video, image: .bach/frame.png }
  - { id: c, mode: text-to-video, prompt_file: bach.lock }
  - { id: d, mode: text-to-video, prompt_file: renders/hero.mp4 }
`);
    expect(listWatchFiles(manifest)).toEqual(['bach.yaml', 'renders/still.png']);
  });

  it('with output "." leaves out <id>.mp4 beside the manifest', () => {
    const manifest = manifestOf(`version: 1
output: .
shots:
  - { id: a, mode: text-to-video, prompt_file: a.mp4 }
  - { id: b, mode: text-to-video, prompt_file: prompts/p.md }
`);
    expect(listWatchFiles(manifest)).toEqual(['bach.yaml', 'prompts/p.md']);
  });
});

describe('listFilesOfInvalid', () => {
  it('watches what a broken manifest still references, so creating a missing file fixes it', async () => {
    const text = `version: 1
shots:
  - { id: a, mode: image-to-video, image: frames/new.png, duration: 99 }
`;
    const files = await listFilesOfInvalid({ file: 'bach.yaml', absFile: '/project/bach.yaml', text }, '/project');
    expect(files).toEqual(['bach.yaml', 'frames/new.png']);
  });

  it('is just the manifest when the text does not even parse', async () => {
    const files = await listFilesOfInvalid({ file: 'bach.yaml', absFile: '/project/bach.yaml', text: 'shots: [\n' }, '/project');
    expect(files).toEqual(['bach.yaml']);
  });
});
