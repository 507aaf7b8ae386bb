import { jwtVerify } from 'jose';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../../src/api/client.js';
import { ApiError } from '../../../src/api/errors.js';
import { describeApiError } from '../../../src/api/messages.js';
import { fail, ok, type Reply } from '../../helpers/scripted-server.js';
import { ACCESS_KEY, claimsOf, SECRET_KEY, setupClient } from './setup.js';

const created = ok({ task_id: 'task-1', status: 'TASK_PENDING', created_at: 1_700_000_000 });
const body = { model_name: 'bach-1.0-preview', prompt: 'A sunset', duration: 6, resolution: '1080p' };

/** Replies in order; the last one repeats. */
function sequence(...replies: Reply[]) {
  return () => replies.shift() ?? replies[0] ?? { status: 500 };
}
function script(...replies: Reply[]) {
  const queue = [...replies];
  return () => (queue.length > 1 ? (queue.shift() as Reply) : (queue[0] as Reply));
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('createTask and getTask', () => {
  it('sends a signed JSON create to the mode path and reads the task', async () => {
    const { client, server, events } = await setupClient(() => created);
    const task = await client.createTask('text-to-video', body);
    expect(task).toEqual({ taskId: 'task-1', status: 'TASK_PENDING', createdAt: 1_700_000_000, inDoubtRetried: false });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/vdr/videos/text2video' });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body.toString() ?? '')).toEqual(body);
    const token = (request?.headers.authorization ?? '').replace(/^Bearer /, '');
    expect(request?.headers.authorization).toBe(`Bearer ${token}`);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET_KEY));
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload.iss).toBe(ACCESS_KEY);
    expect(events).toEqual([]);
  });

  it('queries a task at <create path>/<id>', async () => {
    const { client, server } = await setupClient(() =>
      ok({ task_id: 't-9', status: 'TASK_SUCCEEDED', video_url: 'https://cdn.example/t-9.mp4', created_at: 1, updated_at: 2 }),
    );
    expect(await client.getTask('image-to-video', 't-9')).toEqual({
      taskId: 't-9',
      status: 'TASK_SUCCEEDED',
      videoUrl: 'https://cdn.example/t-9.mp4',
      createdAt: 1,
      updatedAt: 2,
    });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/api/vdr/videos/image2video/t-9' });
  });
});

describe('retries', () => {
  it('honours Retry-After on 429 and reports the pause', async () => {
    const { client, server, events } = await setupClient(
      script(fail(429, 1800, 'Rate limit exceeded', { 'retry-after': '2' }), created),
    );
    expect((await client.createTask('text-to-video', body)).inDoubtRetried).toBe(false);
    expect(server.requests).toHaveLength(2);
    expect(events).toEqual([
      { type: 'api:rate-limited', request: 'create', attempt: 1, delayMs: 2000, reason: 'HTTP 429 (code 1800): Rate limit exceeded' },
    ]);
  });

  it('backs off on 429 without Retry-After', async () => {
    const { client, server, events } = await setupClient(script(fail(429, 1800, 'Rate limit exceeded'), created));
    await client.createTask('text-to-video', body);
    expect(server.requests).toHaveLength(2);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'api:rate-limited', attempt: 1 });
    expect(events[0]?.delayMs).toBeGreaterThan(0);
  });

  it('retries 5xx on queries, then gives up with the attempt count', async () => {
    const { client, server, events } = await setupClient(script(fail(500, 5000, 'Internal server error')), {
      retry: { maxAttempts: 3 },
    });
    const error = await rejection(client.getTask('text-to-video', 't'));
    expect(error).toMatchObject({ kind: 'http', status: 500, code: 5000, attempts: 3, retryable: true, inDoubt: false });
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => e.type)).toEqual(['api:retry', 'api:retry']);
    expect(describeApiError(error)).toMatch(/internal error after 3 attempts/);
  });

  it('retries a create answered 5xx normally: nothing was created', async () => {
    const { client, server } = await setupClient(script(fail(503, 5000, 'Internal server error'), { status: 502, body: 'bad gateway' }, created));
    expect(await client.createTask('text-to-video', body)).toMatchObject({ taskId: 'task-1', inDoubtRetried: false });
    expect(server.requests).toHaveLength(3);
  });

  it('retries a create whose connection was refused normally', async () => {
    const port = await closedPort();
    const events: string[] = [];
    const client = createApiClient({
      baseUrl: `http://127.0.0.1:${port}/api/vdr`,
      credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY },
      clock: { sleep: async () => {} },
      retry: { maxAttempts: 3 },
      onEvent: (event) => events.push(`${event.type} ${event.reason}`),
    });
    const error = await rejection(client.createTask('text-to-video', body));
    await client.close();
    expect(error).toMatchObject({ kind: 'network', outcome: 'not-sent', attempts: 3, inDoubt: false });
    expect(events).toEqual([
      'api:retry connection refused (ECONNREFUSED)',
      'api:retry connection refused (ECONNREFUSED)',
    ]);
  });
});

describe('creates whose outcome is unknown', () => {
  it('retries a dropped create once and marks it "may have been billed twice"', async () => {
    const { client, server, events } = await setupClient(script({ drop: true }, created));
    const task = await client.createTask('text-to-video', body);
    expect(task).toMatchObject({ taskId: 'task-1', inDoubtRetried: true });
    expect(server.requests).toHaveLength(2);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'api:in-doubt', request: 'create', attempt: 1 });
  });

  it('stops after the second unknown outcome, in doubt', async () => {
    const { client, server } = await setupClient(() => ({ drop: true }));
    const error = await rejection(client.createTask('text-to-video', body));
    expect(error).toMatchObject({ kind: 'network', outcome: 'unknown', inDoubt: true, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(describeApiError(error, { shotId: 'opening' })).toMatch(/^shot opening: .*the task may exist and be billed$/);
  });

  it('keeps the doubt when the retry is refused (the first may have used the credits)', async () => {
    const { client } = await setupClient(script({ drop: true }, fail(403, 1302, 'Insufficient credits')));
    expect(await rejection(client.createTask('text-to-video', body))).toMatchObject({ code: 1302, inDoubt: true, attempts: 2 });
  });

  it('treats a 200 whose body cannot be read as unknown', async () => {
    const { client, server } = await setupClient(script({ status: 200, body: '{"code":200,"da' }, created));
    expect(await client.createTask('text-to-video', body)).toMatchObject({ inDoubtRetried: true });
    expect(server.requests).toHaveLength(2);
  });

  it('treats a headers timeout as unknown: one retry, then in doubt', async () => {
    const { client, server } = await setupClient(() => ({ ...created, delayMs: 4000 }), { timeouts: { headersMs: 300 } });
    const error = await rejection(client.createTask('text-to-video', body));
    expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown', inDoubt: true, attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('retries dropped queries as often as the policy allows (they are safe)', async () => {
    const { client, server, events } = await setupClient(script({ drop: true }, { drop: true }, { drop: true }, ok({ task_id: 't', status: 'TASK_PROCESSING' })));
    expect(await client.getTask('text-to-video', 't')).toMatchObject({ status: 'TASK_PROCESSING' });
    expect(server.requests).toHaveLength(4);
    expect(events.map((e) => e.type)).toEqual(['api:retry', 'api:retry', 'api:retry']);
  });
});

describe('tokens', () => {
  it('renews the token after a 1103 and retries once', async () => {
    let setup: Awaited<ReturnType<typeof setupClient>> | undefined;
    let first = true;
    setup = await setupClient(() => {
      if (!first) return created;
      first = false;
      setup?.advanceClock(20 * 60_000); // the token expired meanwhile
      return fail(401, 1103, 'Token expired');
    });
    const { client, server, events } = setup;
    await client.createTask('text-to-video', body);
    expect(server.requests).toHaveLength(2);
    const [a, b] = setup.tokens();
    expect(a).toBeDefined();
    expect(b).not.toBe(a);
    expect(Number(claimsOf(b ?? '').exp)).toBeGreaterThan(Number(claimsOf(a ?? '').exp));
    expect(events).toEqual([
      { type: 'api:retry', request: 'create', attempt: 1, delayMs: 0, reason: 'HTTP 401 (code 1103): Token expired' },
    ]);
  });

  it('gives up when the renewed token expires too (a clock problem)', async () => {
    const { client, server } = await setupClient(() => fail(401, 1103, 'Token expired'));
    const error = await rejection(client.getTask('text-to-video', 't'));
    expect(error).toMatchObject({ status: 401, code: 1103, attempts: 2 });
    expect(server.requests).toHaveLength(2);
    expect(describeApiError(error)).toMatch(/clock/);
  });

  it('does not retry a 1102 when its clock already agrees with the server\'s Date header', async () => {
    const { client, server, events } = await setupClient(() => fail(401, 1102, 'Token not yet valid'));
    const error = await rejection(client.getTask('text-to-video', 't'));
    expect(error).toMatchObject({ status: 401, code: 1102, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([]);
  });
});

describe('errors that are not retried', () => {
  it.each([
    [fail(403, 1302, 'Insufficient credits'), 1302],
    [fail(400, 1001, 'Sensitive content detected'), 1001],
    [fail(400, 1000, 'Duration must be 6 seconds.'), 1000],
    [fail(401, 1100, 'Authentication failed'), 1100],
  ])('%#: code %i', async (reply, code) => {
    const { client, server, events } = await setupClient(() => reply);
    const error = await rejection(client.createTask('text-to-video', body));
    expect(error).toMatchObject({ kind: 'http', code, attempts: 1, inDoubt: false, retryable: false });
    expect(server.requests).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it('refuses a JSON answer too large to be one (a video at the API address)', async () => {
    const { client } = await setupClient(() => ({ status: 200, generate: { size: 17 * 1024 * 1024 } }));
    expect(await rejection(client.getTask('text-to-video', 't'))).toMatchObject({ kind: 'protocol', attempts: 1 });
  });

  it('reports a task status it does not know as a protocol error', async () => {
    const { client } = await setupClient(() => ok({ task_id: 't', status: 'TASK_VANISHED' }));
    expect(await rejection(client.getTask('text-to-video', 't'))).toMatchObject({ kind: 'protocol', attempts: 1 });
  });
});

describe('secrets', () => {
  it('never shows the secret key or a token in errors, descriptions or events', async () => {
    const scenarios: Reply[][] = [
      [fail(400, 1000, 'bad parameter')],
      [{ drop: true }],
      [fail(500, 5000, 'Internal server error')],
      [fail(401, 1103, 'Token expired')],
      [fail(429, 1800, 'Rate limit exceeded', { 'retry-after': '1' }), { status: 502, body: 'oops' }],
      [{ status: 200, body: 'not json' }],
    ];
    const texts: string[] = [];
    const tokens: string[] = [];
    for (const replies of scenarios) {
      const setup = await setupClient(sequence(...replies), { retry: { maxAttempts: 3 } });
      const error = await rejection(setup.client.createTask('text-to-video', body));
      texts.push(error.message, describeApiError(error, { shotId: 's' }), String(error.cause ?? ''), JSON.stringify(setup.events));
      tokens.push(...setup.tokens());
    }
    // A server that echoes the token in its message is redacted too.
    const echo = await setupClient((request) => fail(400, 1000, `bad token ${String(request.headers.authorization)}`));
    const echoed = await rejection(echo.client.createTask('text-to-video', body));
    expect(echoed.message).toBe('bad token Bearer [redacted]');
    texts.push(echoed.message, describeApiError(echoed));
    tokens.push(...echo.tokens());

    expect(tokens.length).toBeGreaterThan(5);
    const all = texts.join('\n');
    expect(all).not.toContain(SECRET_KEY);
    for (const token of new Set(tokens)) expect(all).not.toContain(token);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
