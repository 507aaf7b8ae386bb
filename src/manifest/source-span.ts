// Where something is in the manifest text, and how the pure stages ask for it. The stages after
// parsing work on plain values; they find positions through a `Locate` function built by the
// parser, so they never see YAML nodes.

export type PathSegment = string | number;
export type InstancePath = readonly PathSegment[];

/** 1-based; `end*` is exclusive and on the same line when the thing fits on one line. */
export interface SourceSpan {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/**
 * The span of the value at `path` (or of its key, with `part: 'key'`). When the path does not exist
 * all the way (a missing field), the deepest existing value is returned: the place to add it.
 */
export type Locate = (path: InstancePath, part?: 'key' | 'value') => SourceSpan;

/** `shots[2].duration` — the way messages name a field. */
export function formatInstancePath(path: InstancePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? 'manifest' : out;
}

/** ajv's `/shots/2/duration` (JSON Pointer) as path segments; array indexes become numbers. */
export function parseJsonPointer(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let current = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      const index = Number(key);
      segments.push(index);
      current = current[index];
    } else {
      segments.push(key);
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}
