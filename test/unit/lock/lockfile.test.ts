import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { BachError } from '../../../src/errors.js';
import { createLockSerializer, parseLockfile, serializeLockfile } from '../../../src/lock/parse-lockfile.js';
import { removeLockEntries, setLockEntry } from '../../../src/lock/update-lockfile.js';
import { emptyLockfile, type Lockfile } from '../../../src/lock/types.js';
import { builtState, digestsOf, file, makeManifest, makeShot } from '../../helpers/builders.js';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/bach-lock.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

const digests = digestsOf({ 'frames/a.png': 'A' });
const { lock } = builtState(
  makeManifest([
    makeShot({ id: 'zeta', seed: 3 }),
    makeShot({ id: 'alpha', mode: 'image-to-video', image: file('frames/a.png'), seed: 1 }),
  ]),
  digests,
);

function parseError(text: string): BachError {
  try {
    parseLockfile(text, 'bach.lock');
  } catch (error) {
    if (error instanceof BachError) return error;
    throw error;
  }
  throw new Error('expected the lockfile to be refused');
}

describe('lockfile text', () => {
  it('serializes deterministically: sorted keys, two spaces, trailing newline', () => {
    const text = serializeLockfile(lock);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('"alpha"')).toBeLessThan(text.indexOf('"zeta"'));
    expect(text).toContain('\n  "lockfileVersion": 1,\n');
    const reordered: Lockfile = { shots: { zeta: lock.shots.zeta!, alpha: lock.shots.alpha! }, lockfileVersion: 1 };
    expect(serializeLockfile(reordered)).toBe(text);
  });

  it('has a cached serializer that writes exactly the same bytes', () => {
    const serialize = createLockSerializer();
    expect(serialize(lock)).toBe(serializeLockfile(lock));
    expect(serialize(lock)).toBe(serializeLockfile(lock));
    expect(serialize(emptyLockfile())).toBe(serializeLockfile(emptyLockfile()));
    const one = { lockfileVersion: 1 as const, shots: { zeta: lock.shots.zeta! } };
    expect(serialize(one)).toBe(serializeLockfile(one));
  });

  it('round-trips and matches its JSON Schema', () => {
    const text = serializeLockfile(lock);
    expect(parseLockfile(text, 'bach.lock')).toEqual(lock);
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(emptyLockfile())).toBe(true);
  });

  it('contains local files only as content hashes', () => {
    expect(serializeLockfile(lock)).not.toContain('frames/a.png');
    expect(lock.shots.alpha!.request.image_url).toEqual({ sha256: digests.get('frames/a.png') });
  });

  it('refuses git conflict markers, naming the line and what to do', () => {
    const text = serializeLockfile(lock).replace('  "shots": {', '<<<<<<< HEAD\n  "shots": {');
    const error = parseError(text);
    expect(error.code).toBe('lock-conflict');
    expect(error.message).toBe('bach.lock:3: the lockfile contains git conflict markers');
    expect(error.hint).toMatch(/Resolve the merge/);
  });

  it('refuses an unknown version and says which way to go', () => {
    expect(parseError('{"lockfileVersion": 2, "shots": {}}')).toMatchObject({ code: 'lock-version', hint: expect.stringMatching(/newer bach-render/) });
    expect(parseError('{"shots": {}}').message).toMatch(/lockfileVersion undefined is not supported/);
  });

  const damaged: [string, (l: any) => void][] = [
    ['a short fingerprint', (l) => (l.shots.alpha.fingerprint = 'abc')],
    ['an unknown mode', (l) => (l.shots.alpha.mode = 'video')],
    ['a seed out of range', (l) => ((l.shots.alpha.seed = -1), (l.shots.alpha.request.seed = -1))],
    ['an output outside the project', (l) => (l.shots.alpha.output.path = '../x.mp4')],
    ['an absolute output path', (l) => (l.shots.alpha.output.path = '/tmp/x.mp4')],
    ['an empty task id', (l) => (l.shots.alpha.taskId = '')],
    ['an unknown field', (l) => (l.shots.alpha.completedAt = 'yesterday')],
    ['a bad shot id', (l) => (l.shots['Not An Id'] = l.shots.alpha)],
    ['a zero size', (l) => (l.shots.alpha.output.size = 0)],
  ];
  it.each(damaged)('refuses %s (and the schema agrees)', (_name, damage) => {
    const data = JSON.parse(serializeLockfile(lock));
    damage(data);
    expect(parseError(JSON.stringify(data)).code).toBe('lock-invalid');
    expect(validate(data)).toBe(false);
  });

  it('refuses a seed that disagrees with its request (a rule JSON Schema cannot express)', () => {
    const data = JSON.parse(serializeLockfile(lock));
    data.shots.alpha.seed = 5;
    expect(parseError(JSON.stringify(data)).message).toBe('bach.lock: invalid lockfile: shots.alpha.seed does not match shots.alpha.request.seed');
  });

  it('refuses text that is not JSON', () => {
    expect(parseError('{"lockfileVersion": 1,').message).toMatch(/^bach.lock: the lockfile is not valid JSON/);
  });
});

describe('updating the lockfile', () => {
  it('sets and removes entries without touching the others', () => {
    const updated = setLockEntry(lock, 'beta', lock.shots.alpha!);
    expect(Object.keys(updated.shots).sort()).toEqual(['alpha', 'beta', 'zeta']);
    expect(Object.keys(lock.shots).sort()).toEqual(['alpha', 'zeta']);
    expect(Object.keys(removeLockEntries(updated, ['alpha', 'zeta']).shots)).toEqual(['beta']);
  });
});
