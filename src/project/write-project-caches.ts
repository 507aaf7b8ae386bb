import type { ProjectState } from './read-project.js';

// What reading the project learnt and keeps for next time: the hashes it computed. A cache that
// cannot be written costs only re-hashing, so a read-only checkout can still plan.

export async function writeProjectCaches(project: Pick<ProjectState, 'hashCache' | 'paths'>): Promise<void> {
  try {
    await project.hashCache.write(project.paths.hashes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EROFS') throw error;
  }
}
