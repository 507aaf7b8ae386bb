// bach-render as a library (`import … from 'bach-render'`): load and check a manifest, plan a
// project as `bach-render plan` does, and run the API emulator. The CLI (bin `bach-render`) is the
// way to build; these are the parts programs, editors and CI scripts read from.

export { BachError, type Diagnostic } from './errors.js';
export { readVersion as version } from './version.js';

// Loading
export { loadManifest, MANIFEST_FILE_NAME, type LoadOptions, type LoadResult, type ManifestSource } from './manifest/load.js';
export { loadManifestFromText, type FromTextOptions } from './manifest/from-text.js';
export { formatDiagnostics, type FormatOptions } from './manifest/format.js';
export type { AspectRatio, FileRef, ImageRef, Manifest, Mode, PromptRef, Resolution, Shot, Subject, SubjectType, UrlRef } from './manifest/types.js';

// Planning
export { planProject, type PlanProjectOptions, type PlanProjectResult } from './project/plan-project.js';
export { readProject, type ProjectState, type ReadProjectOptions } from './project/read-project.js';
export { createPlanInputs, type PlanSelection } from './project/create-plan-inputs.js';
export { createPlan, type OutputState, type PlanInputs } from './plan/create-plan.js';
export { createPlanJson, type PlanJson } from './plan/plan-json.js';
export { formatPlan } from './plan/format-plan.js';
export type { ActionKind, Plan, PlanTotals, Reason, ReasonKind, RemovedShot, ShotPlan, UploadNeed, WorkSource } from './plan/types.js';
export { fingerprintRequest, FINGERPRINT_SCHEME } from './contract/fingerprint.js';
export type { Lockfile, LockEntry } from './lock/types.js';

// The emulator (also `bach-render/emulator`)
export { startEmulator, type Emulator, type EmulatorOptions, type EmulatorStats } from './emulator/index.js';
