import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCreateRequest, type RequestBody } from '../contract/create-request.js';
import { decodePromptText } from '../manifest/file-facts.js';
import { imagesOf } from '../plan/create-plan.js';
import type { ShotPlan } from '../plan/types.js';
import { sha256Hex } from '../util/hash.js';
import type { RunContext } from './run-context.js';

// The request actually sent for a planned shot: the same builder as the fingerprint, with local
// images mapped to their CDN URLs and prompt files to their text. A prompt file is re-read here and
// must still hash to what was planned — otherwise the lockfile would record one prompt and the
// video would show another.

export class ChangedDuringBuildError extends Error {
  constructor(readonly path: string) {
    super(`${path} changed during the build; run again to plan with the new content`);
    this.name = 'ChangedDuringBuildError';
  }
}

/** `recheck`: the shot is being submitted again after a failed task — its images' URLs are checked (and re-uploaded when gone) first. */
export async function buildWireBody(context: RunContext, plan: ShotPlan, options: { recheck?: boolean } = {}): Promise<RequestBody> {
  const { shot } = plan;
  const urls = new Map<string, string>();
  for (const ref of imagesOf(shot)) {
    if (ref.kind !== 'file' || urls.has(ref.path)) continue;
    const digest = digestOf(context, ref.path);
    urls.set(ref.path, await (options.recheck ? context.images.refresh(digest) : context.images.urlFor(digest)));
  }
  let promptText: string | undefined;
  if (shot.prompt?.kind === 'file') promptText = await readPromptFile(context, shot.prompt.path);
  return buildCreateRequest(shot, {
    seed: plan.seed,
    image: (ref) => (ref.kind === 'file' ? urls.get(ref.path)! : ref.url),
    prompt: (ref) => (ref.kind === 'file' ? promptText! : ref.text),
  }).body;
}

async function readPromptFile(context: RunContext, path: string): Promise<string> {
  const bytes = await readFile(join(context.manifest.root, path));
  if (sha256Hex(bytes) !== digestOf(context, path)) throw new ChangedDuringBuildError(path);
  // The loader's decoding (strict UTF-8, BOM and surrounding whitespace removed), so the text sent is
  // exactly the text whose length the loader checked.
  const decoded = decodePromptText(bytes);
  if (!decoded.ok) throw new ChangedDuringBuildError(path);
  return decoded.text;
}

function digestOf(context: RunContext, path: string): string {
  const digest = context.digests.get(path);
  if (digest === undefined) throw new Error(`no digest for ${path}`);
  return digest;
}
