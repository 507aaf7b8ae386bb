import { resolveBaseUrl } from '../api/credentials.js';
import type { Diagnostic } from '../errors.js';
import { loadManifest } from '../manifest/load.js';
import type { Manifest } from '../manifest/types.js';
import { createPlan } from '../plan/create-plan.js';
import type { Plan } from '../plan/types.js';
import { createPlanInputs } from './create-plan-inputs.js';
import { readProject } from './read-project.js';

// What `bach-render plan` computes, as one call for programs (the package's public entry): load the
// manifest, read the project, plan. It writes nothing — not even the caches the CLI keeps — and it
// sends nothing; the plan is the same one a build would show.

export interface PlanProjectOptions {
  /** Where PATH is resolved from. Default: the process's working folder. */
  cwd?: string;
  /** The API whose upload records count for the upload total. Default: the public Bach API. */
  baseUrl?: string;
  /** `--only` / `--force`: shot ids. */
  only?: readonly string[];
  force?: readonly string[];
  /** Milliseconds since the epoch (the hash cache's racy window). Default Date.now. */
  now?: () => number;
}

export type PlanProjectResult =
  | { ok: true; manifest: Manifest; plan: Plan; warnings: Diagnostic[]; notices: string[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Plans PATH (a bach.yaml, or a folder holding one). Throws BachError for what stops a plan (a damaged bach.lock). */
export async function planProject(path: string, options: PlanProjectOptions = {}): Promise<PlanProjectResult> {
  const loaded = await loadManifest(path, { cwd: options.cwd ?? process.cwd() });
  if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
  const origin = new URL(resolveBaseUrl(options.baseUrl, {})).origin;
  const project = await readProject(loaded.manifest, { label: loaded.source.file, origin, now: options.now ?? Date.now });
  const plan = createPlan(createPlanInputs(project, { only: options.only ?? [], force: options.force ?? [] }));
  return { ok: true, manifest: loaded.manifest, plan, warnings: loaded.warnings, notices: project.notices };
}
