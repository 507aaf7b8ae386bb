// Reading a manifest value that may not have passed the schema. The rules stage runs even when the
// schema found problems, so that every problem is reported at once; it reads fields through these
// guards and skips whatever has the wrong shape (the schema has already reported that).

export type LooseRecord = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown): LooseRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as LooseRecord) : undefined;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The shots as records (non-mappings become empty records, so indexes stay those of the manifest). */
export function looseShots(manifest: unknown): LooseRecord[] {
  return asArray(asRecord(manifest)?.shots).map((shot) => asRecord(shot) ?? {});
}

/** The subjects that are mappings, by key. */
export function looseSubjects(manifest: unknown): Array<[string, LooseRecord]> {
  const subjects = asRecord(asRecord(manifest)?.subjects) ?? {};
  return Object.entries(subjects).flatMap(([key, value]) => {
    const subject = asRecord(value);
    return subject ? [[key, subject] as [string, LooseRecord]] : [];
  });
}
