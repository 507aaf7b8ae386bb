import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AwsV4Signer } from 'aws4fetch';
import { inject } from 'vitest';

// A real S3 server for the team-cache tests: Ceph's radosgw on 127.0.0.1, started by
// scripts/radosgw.sh ONCE per test run — the first test file that asks starts it under a lock in the
// run's folder (see radosgw-setup.ts), the others wait for it — and stopped when the run ends. Each
// test makes its own bucket, so files running in parallel never see each other's objects.
//
// Without the Debian packages: in CI (CI set) the tests fail loudly; elsewhere they are skipped with a
// message naming the packages.

export const RADOSGW_PACKAGES = 'radosgw ceph-mon ceph-osd ceph-common';
const BINARIES = ['radosgw', 'ceph-mon', 'ceph-osd', 'ceph-authtool', 'monmaptool', 'radosgw-admin', 'ceph'];
const SCRIPT = fileURLToPath(new URL('../../scripts/radosgw.sh', import.meta.url));

export interface Radosgw {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** A second user that owns nothing: give it rights with putBucketPolicy. */
  reader: { accessKey: string; secretKey: string };
  /** The AWS_* variables of the `bach` user (or of `as`), for openTeamCache and the CLI. */
  env(as?: { accessKey: string; secretKey: string }): Record<string, string>;
  /** A new, empty bucket with a unique name. */
  createBucket(): Promise<string>;
  /** A signed request as the `bach` user (tampering, policies, checks behind the backend's back). */
  request(method: string, path: string, init?: { body?: string | Uint8Array; headers?: Record<string, string> }): Promise<{ status: number; text: string }>;
  /** Lets the reader user GET and LIST the bucket, and nothing else. */
  allowReaderToRead(bucket: string): Promise<void>;
}

let missingReported = false;

/**
 * True when the radosgw tests can run. Missing packages: throws in CI (the tests must run there),
 * else prints which packages to install, once, and returns false.
 */
export function radosgwAvailable(): boolean {
  const missing = BINARIES.filter((name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return true;
  const message = `radosgw tests need ${missing.join(', ')}: apt-get install -y --no-install-recommends ${RADOSGW_PACKAGES}`;
  if (process.env.CI) throw new Error(`${message} (CI is set, so they may not be skipped)`);
  if (!missingReported) process.stderr.write(`[skipped] ${message}\n`);
  missingReported = true;
  return false;
}

let shared: Promise<Radosgw> | undefined;

export function useRadosgw(): Promise<Radosgw> {
  shared ??= attach();
  return shared;
}

async function attach(): Promise<Radosgw> {
  const runDir = inject('radosgwRunDir');
  if (!runDir) throw new Error('radosgw tests need the globalSetup in vitest.config.ts (test/helpers/radosgw-setup.ts)');
  const serverDir = join(runDir, 'server');
  const ready = join(runDir, 'ready');
  const failed = join(runDir, 'start.failed');
  let starter = false;
  try {
    mkdirSync(join(runDir, 'start.lock'));
    starter = true;
  } catch {
    // Another test file is starting it: wait below.
  }
  if (starter) {
    try {
      await promisify(execFile)('bash', [SCRIPT, 'start', serverDir, '--owner-pid', String(inject('radosgwOwnerPid'))], { timeout: 180_000 });
      writeFileSync(ready, '');
    } catch (error) {
      const text = (error as { stderr?: string }).stderr || (error as Error).message;
      writeFileSync(failed, text);
      throw new Error(`radosgw did not start: ${text}`);
    }
  } else {
    const deadline = Date.now() + 180_000;
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`radosgw did not start: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() > deadline) throw new Error('radosgw did not start within 180 s (started by another test file)');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const values = Object.fromEntries(
    readFileSync(join(serverDir, 'connection.env'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  return createRadosgw(values.endpoint!, values.access_key!, values.secret_key!, { accessKey: values.reader_access_key!, secretKey: values.reader_secret_key! });
}

function createRadosgw(endpoint: string, accessKey: string, secretKey: string, reader: Radosgw['reader']): Radosgw {
  const request: Radosgw['request'] = async (method, path, init = {}) => {
    const url = `${endpoint}${path}`;
    const signer = new AwsV4Signer({ method, url, headers: init.headers ?? {}, accessKeyId: accessKey, secretAccessKey: secretKey, service: 's3', region: 'us-east-1' });
    const signed = await signer.sign();
    const response = await fetch(url, { method, headers: signed.headers, ...(init.body === undefined ? {} : { body: init.body }) });
    return { status: response.status, text: await response.text() };
  };
  return {
    endpoint,
    accessKey,
    secretKey,
    reader,
    env: (as = { accessKey, secretKey }) => ({
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: as.accessKey,
      AWS_SECRET_ACCESS_KEY: as.secretKey,
      AWS_REGION: 'us-east-1',
    }),
    request,
    async createBucket() {
      const name = `t-${randomBytes(6).toString('hex')}`;
      const answer = await request('PUT', `/${name}`);
      if (answer.status !== 200) throw new Error(`cannot create bucket ${name}: HTTP ${answer.status} ${answer.text}`);
      return name;
    },
    async allowReaderToRead(bucket) {
      const policy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam:::user/bach-reader'] },
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          },
        ],
      };
      const answer = await request('PUT', `/${bucket}?policy`, { body: JSON.stringify(policy), headers: { 'content-type': 'application/json' } });
      if (answer.status !== 200 && answer.status !== 204) throw new Error(`cannot set the policy of ${bucket}: HTTP ${answer.status} ${answer.text}`);
    },
  };
}
