import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm run bench:manifest`: how long loading takes per stage, for 1,000 and 10,000 shots, each in
// a fresh process (cold, as a CLI run is). Uses the built dist/ (standalone schema validator).
// Prints a table; not a test (no timed assertions anywhere).

const png = readFileSync(new URL('../examples/refs/hero-front.png', import.meta.url));
const dist = new URL('../dist/manifest/', import.meta.url).href;

function createProject(shots: number): string {
  const root = mkdtempSync(join(tmpdir(), 'bach-bench-'));
  mkdirSync(join(root, 'frames'));
  for (let i = 0; i < 100; i++) writeFileSync(join(root, `frames/f${i}.png`), png);
  const lines = ['version: 1', 'defaults:', '  resolution: 720p', 'shots:'];
  for (let i = 0; i < shots; i++) {
    lines.push(`  - id: shot-${i}`, '    mode: image-to-video', `    image: frames/f${i % 100}.png`, `    prompt: A slow pan across scene ${i}, golden light`, `    duration: ${1 + (i % 5)}`, `    seed: ${i}`);
  }
  writeFileSync(join(root, 'bach.yaml'), `${lines.join('\n')}\n`);
  return root;
}

const stages = `
const t0 = performance.now();
const { parseManifest } = await import('${dist}parse.js');
const { validateManifest } = await import('${dist}validate.js');
const { getSchemaValidator } = await import('${dist}schema-validator.js');
const { collectReferences, listReferencedFiles } = await import('${dist}file-refs.js');
const { readFileFacts } = await import('${dist}read-facts.js');
const { checkRules } = await import('${dist}rules.js');
const { resolveManifest } = await import('${dist}resolve.js');
const { readFileSync } = await import('node:fs');
const t1 = performance.now();
const validator = getSchemaValidator();
const t2 = performance.now();
const root = process.argv[1];
const text = readFileSync(root + '/bach.yaml', 'utf8');
const parsed = parseManifest(text, { file: 'bach.yaml' });
const t3 = performance.now();
const validated = validateManifest(parsed.value, { file: 'bach.yaml', locate: parsed.locate, validate: validator.validate });
const t4 = performance.now();
const references = collectReferences(parsed.value);
const facts = await readFileFacts(root, listReferencedFiles(references));
const t5 = performance.now();
const problems = checkRules({ manifest: parsed.value, references, facts: (p) => facts.get(p), outputFacts: { exists: false, isDirectory: false, insideRoot: true }, locate: parsed.locate });
const t6 = performance.now();
const manifest = resolveManifest(parsed.value, { file: root + '/bach.yaml', root, locate: parsed.locate });
const t7 = performance.now();
if (!validated.ok || problems.length > 0 || manifest.shots.length === 0) throw new Error('bench manifest is invalid');
const f = (a, b) => (b - a).toFixed(1).padStart(7);
console.log([f(0, t0), f(t0, t1), f(t1, t2), f(t2, t3), f(t3, t4), f(t4, t5), f(t5, t6), f(t6, t7), f(t2, t7), validator.source].join(' |'));
`;

// A whole loadManifest in a fresh process, from the start of the process (imports included).
const whole = (cache: boolean) => `
const { loadManifest } = await import('${dist}load.js');
const result = await loadManifest(process.argv[1], { cwd: process.cwd(), cache: ${cache} });
if (!result.ok) throw new Error('bench manifest is invalid');
console.log((performance.now()).toFixed(0));
`;

const time = (args: string[], cwd?: string) => {
  const start = performance.now();
  execFileSync(process.execPath, args, { cwd, stdio: 'ignore' });
  return performance.now() - start;
};

console.log('ms: boot = node start-up; load = read + parse + validate + facts + rules + resolve');
console.log('shots  | boot    | imports | schema  | parse   | validate| facts   | rules   | resolve | load    | validator');
for (const shots of [1000, 10000]) {
  const root = createProject(shots);
  try {
    for (let run = 0; run < 3; run++) {
      const line = execFileSync(process.execPath, ['--input-type=module', '-e', stages, root], { encoding: 'utf8' }).trim();
      console.log(`${String(shots).padEnd(6)} |${line}`);
    }
    const bare = Math.min(...[0, 1, 2].map(() => time(['-e', ''])));
    const cli = Math.min(...[0, 1, 2].map(() => time([new URL('../dist/cli.js', import.meta.url).pathname, 'validate'], root)));
    const load = (cache: boolean) =>
      Math.min(...[0, 1, 2].map(() => time(['--input-type=module', '-e', whole(cache), root])));
    const fresh = load(false);
    const cached = load(true); // the first of the three writes the cache, the best is a hit
    console.log(
      `${shots} shots, wall time of a whole process (best of 3): bare \`node -e ""\` ${bare.toFixed(0)} ms; ` +
        `loadManifest ${fresh.toFixed(0)} ms, with the cache ${cached.toFixed(0)} ms; \`bach-render validate\` ${cli.toFixed(0)} ms`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
