// A measured child of the team-cache bench: pushes one file to an s3:// team cache and pulls it back
// (through the built dist/, as the CLI will), verifies the copy, then prints its own peak RSS as JSON.
// Its own process, so the figure is the transfer's alone: the bench and radosgw are elsewhere.
//
//   node bench/remote-transfer.mjs s3://BUCKET FILE DEST     (AWS_* variables in the environment)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { openTeamCache } from '../dist/remote/open-team-cache.js';
import { resolveRemoteSettings } from '../dist/remote/remote-settings.js';
import { fingerprintRequest } from '../dist/contract/fingerprint.js';
import { peakRss } from './rss-probe.mjs';

const [url, file, destination] = process.argv.slice(2);
const settings = resolveRemoteSettings({ flag: url, env: process.env, cwd: process.cwd(), root: process.cwd() });
const cache = await openTeamCache({ settings, env: process.env, stateDir: '/tmp' });
const request = { model: 'bach-1.0-preview', prompt: `memory probe ${file}`, seed: 1 };
const facts = { fingerprint: fingerprintRequest('text-to-video', request), mode: 'text-to-video', request, seed: 1, taskId: 'bench' };
const started = performance.now();
const pushed = await cache.push({ ...facts, videoPath: file });
if (!pushed.ok) throw new Error(pushed.error.message);
const pushMs = performance.now() - started;
const pushRssBytes = peakRss();
const pulled = await cache.pull({ fingerprint: facts.fingerprint, destination });
if (!pulled.ok || pulled.value.kind !== 'pulled') throw new Error(pulled.ok ? 'not pulled' : pulled.error.message);
const pullMs = performance.now() - started - pushMs;
await cache.close();
const hash = createHash('sha256');
for await (const chunk of createReadStream(destination)) hash.update(chunk);
if (hash.digest('hex') !== pulled.value.sha256) throw new Error('the pulled copy differs');
const size = (await stat(destination)).size;
process.stdout.write(`${JSON.stringify({ size, pushMs, pullMs, fingerprint: facts.fingerprint, sha256: pulled.value.sha256, pushRssBytes, maxRssBytes: peakRss() })}\n`);

