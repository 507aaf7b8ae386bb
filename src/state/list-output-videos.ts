import { readdir } from 'node:fs/promises';

// The `.mp4` files in the output folder, by name (no reading, no hashing): what the plan compares
// with the manifest's shots to list outputs of shots that are gone (issue 15, item 6). A missing
// folder is an empty list.

export async function listOutputVideos(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.mp4')).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}
