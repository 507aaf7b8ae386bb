// The two XML documents the team cache reads from an S3 server (pure): a ListObjectsV2 page and an
// error. Both are flat and fixed by the S3 API, and we ask for keys URL-encoded (`encoding-type=url`),
// so a few anchored patterns read them exactly; an XML library would add weight to every remote run
// for no gain. Anything that does not look like these documents is reported, not guessed at.

export interface ParsedListPage {
  /** Server keys (with the remote's prefix), decoded. */
  keys: string[];
  truncated: boolean;
}

export function parseListPage(xml: string): ParsedListPage | undefined {
  if (!/<ListBucketResult[\s>]/.test(xml)) return undefined;
  const truncatedText = /<IsTruncated>\s*(true|false)\s*<\/IsTruncated>/.exec(xml)?.[1];
  if (truncatedText === undefined) return undefined;
  const urlEncoded = /<EncodingType>\s*url\s*<\/EncodingType>/.test(xml);
  const keys: string[] = [];
  for (const match of xml.matchAll(/<Contents>[\s\S]*?<Key>([^<]*)<\/Key>[\s\S]*?<\/Contents>/g)) {
    const text = decodeEntities(match[1]!);
    keys.push(urlEncoded ? decodeKey(text) : text);
  }
  return { keys, truncated: truncatedText === 'true' };
}

/** `<Error><Code>NoSuchBucket</Code>…` → "NoSuchBucket". */
export function parseErrorCode(xml: string): string | undefined {
  const code = /<Error>[\s\S]*?<Code>([A-Za-z0-9._-]{1,100})<\/Code>/.exec(xml)?.[1];
  return code;
}

function decodeKey(text: string): string {
  // S3 encodes keys with `+` for spaces in this mode (form encoding).
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number.parseInt(lower.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
