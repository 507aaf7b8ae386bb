import { describe, expect, it } from 'vitest';
import { describeTextChange } from '../../../src/plan/text-change.js';

describe('describeTextChange', () => {
  it('shows short values whole', () => {
    expect(describeTextChange('a cat', 'a dog')).toEqual(['"a cat"', '"a dog"']);
  });

  it('cuts a long prompt down to the changed words and one word either side', () => {
    expect(describeTextChange('A sunset over the ocean, waves crashing', 'A sunset over the ocean, waves breaking')).toEqual([
      '"…waves crashing"',
      '"…waves breaking"',
    ]);
    expect(
      describeTextChange('A sunset over the ocean, waves crashing against the cliffs', 'A sunset over the ocean, waves breaking against the cliffs'),
    ).toEqual(['"…waves crashing against…"', '"…waves breaking against…"']);
  });

  it('shows words added at the end or the start', () => {
    const base = 'A lighthouse on a cliff at dawn, waves below';
    expect(describeTextChange(base, `${base}, slow push-in`)).toEqual(['"…waves below"', '"…waves below, slow push-in"']);
    expect(describeTextChange(base, `Wide shot. ${base}`)).toEqual(['"A lighthouse…"', '"Wide shot. A lighthouse…"']);
  });

  it('cuts a rewritten prompt after its first words', () => {
    const [before, after] = describeTextChange('x'.repeat(10) + ' ' + 'old words '.repeat(20), 'x'.repeat(10) + ' ' + 'new words '.repeat(20));
    expect(before.length).toBeLessThan(90);
    expect(after.startsWith('"xxxxxxxxxx new words new words')).toBe(true);
    expect(after.endsWith('…"')).toBe(true);
  });

  it('keeps quotes and line breaks visible', () => {
    expect(describeTextChange('say "hi"', 'say\n"bye"')).toEqual(['"say \\"hi\\""', '"say\\n\\"bye\\""']);
  });
});
