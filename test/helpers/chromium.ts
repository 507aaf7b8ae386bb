import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import { requireTool } from './tools.js';

// Chromium from Debian (`apt-get install chromium`) driven by playwright-core, for the tests that
// must see the review page as a person would. A fresh profile per test, no network services, no
// GPU; closed when the test finishes. In CI a missing chromium fails the file (helpers/tools.ts).

export const CHROMIUM = requireTool('chromium', 'chromium');

/** Screenshots and other things a person looks at after a run; git-ignored. */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors (a CSP violation is a console error). */
  errors: string[];
}

export async function openChromium(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'bach-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM.path!,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  onTestFinished(async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
