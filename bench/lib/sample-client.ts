import { createHmac } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The baseline of figure 2: the storyboard driven the way the API's own sample code does it
// (seed document, "Task Status Polling"): one shot at a time — create the task, query
// GET /status/{task_id} at once and then after every `interval` until it ends, download the
// video, next shot. No concurrency, no pipelining; a token signed the sample's way (HS256,
// nbf = now − 5 s, exp = now + 10 days). Runs inside the bench process, which is otherwise idle.

export interface SampleShot {
  id: string;
  body: Record<string, unknown>;
}

export interface SampleRun {
  wallMs: number;
  polls: number;
}

export async function runSampleClient(options: {
  baseUrl: string;
  accessKey: string;
  secretKey: string;
  shots: readonly SampleShot[];
  pollIntervalMs: number;
  outDir: string;
}): Promise<SampleRun> {
  const started = performance.now();
  const headers = { authorization: `Bearer ${signToken(options.accessKey, options.secretKey)}`, 'content-type': 'application/json' };
  let polls = 0;
  for (const shot of options.shots) {
    const created = await call(`${options.baseUrl}/videos/text2video`, { method: 'POST', headers, body: JSON.stringify(shot.body) });
    const taskId = created.task_id as string;
    let data: Record<string, unknown>;
    for (;;) {
      data = await call(`${options.baseUrl}/status/${taskId}`, { headers });
      polls += 1;
      if (data.status === 'TASK_SUCCEEDED') break;
      if (data.status === 'TASK_FAILED') throw new Error(`sample client: task ${taskId} failed: ${String(data.message)}`);
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
    }
    const video = await fetch(String(data.video_url));
    if (!video.ok) throw new Error(`sample client: download of ${shot.id}: HTTP ${video.status}`);
    await writeFile(join(options.outDir, `${shot.id}.mp4`), Buffer.from(await video.arrayBuffer()));
  }
  return { wallMs: performance.now() - started, polls };
}

async function call(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const envelope = (await response.json()) as { code: number; message: string; data: Record<string, unknown> | null };
  if (response.status !== 200 || (envelope.code !== 200 && envelope.code !== 0) || !envelope.data) {
    throw new Error(`sample client: ${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${envelope.code} ${envelope.message}`);
  }
  return envelope.data;
}

function signToken(accessKey: string, secretKey: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iss: accessKey, nbf: now - 5, exp: now + 864_000 })}`;
  return `${unsigned}.${createHmac('sha256', secretKey).update(unsigned).digest('base64url')}`;
}
