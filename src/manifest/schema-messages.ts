import type { ManifestProblem } from './diagnostics.js';
import type { ErrorObject } from './schema-compile.js';
import { formatInstancePath, parseJsonPointer, type PathSegment } from './source-span.js';
import { describeChoices, describeValue, suggestClosest } from './suggest.js';

// One ajv error → one message a person can act on: it names the field, says what was expected and
// what was found. Every number in a message comes from the schema (the error's params or parent
// schema), never from here. Returns undefined for errors that another error already explains.

type Schema = Record<string, unknown>;

const MODES = ['text-to-video', 'image-to-video', 'multi-image-to-video'];

// What people write for a mode, squashed to letters and digits: the API's endpoint names among them.
const MODE_ALIASES: Record<string, string> = {
  text2video: 'text-to-video', texttovideo: 'text-to-video', t2v: 'text-to-video', text: 'text-to-video',
  image2video: 'image-to-video', imagetovideo: 'image-to-video', i2v: 'image-to-video', image: 'image-to-video',
  multi2video: 'multi-image-to-video', multiimagetovideo: 'multi-image-to-video', multiimage: 'multi-image-to-video',
  multi: 'multi-image-to-video', elements2video: 'multi-image-to-video', m2v: 'multi-image-to-video',
};

export function describeSchemaError(error: ErrorObject, root: unknown): ManifestProblem | undefined {
  const path = parseJsonPointer(error.instancePath, root);
  const name = formatInstancePath(path);
  const parent = (error.parentSchema ?? {}) as Schema;
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  switch (error.keyword) {
    case 'additionalProperties':
      return describeUnknownField(path, String(params.additionalProperty), parent);
    case 'required':
      return describeMissing([...path, String(params.missingProperty)], error.schemaPath);
    case 'oneOf':
    case 'not':
      return describePromptChoice(path, root, error.keyword === 'not' || Array.isArray(params.passingSchemas));
    case 'discriminator':
      return describeMode(path, data);
    case 'type':
      return { code: 'type', path, at: 'value', message: `${name}: expected ${describeType(String(params.type))}, got ${describeValue(data)}`, ...quoteHint(params.type, data) };
    case 'const':
      return { code: 'enum', path, at: 'value', message: `${name}: expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(data)}` };
    case 'enum':
      return describeEnum(path, data, params.allowedValues as unknown[], root);
    case 'minimum':
    case 'maximum':
      return {
        code: 'range',
        path,
        at: 'value',
        message: `${name}: must be between ${String(parent.minimum)} and ${String(parent.maximum)}, got ${describeValue(data)}`,
      };
    case 'minLength':
      return { code: 'length', path, at: 'value', message: `${name}: must not be empty` };
    case 'maxLength':
      return {
        code: 'length',
        path,
        at: 'value',
        message: `${name}: at most ${String(params.limit)} characters, got ${(data as string).length}`,
        hint: 'Characters are counted as UTF-16 code units, as the API counts them (an emoji counts 2).',
      };
    case 'pattern':
      return describeId(path, String(data));
    case 'minItems':
    case 'maxItems':
      return describeImageCount(path, error.keyword, Number(params.limit), (data as unknown[]).length, error.schemaPath);
    case 'if':
      return undefined; // the failing `then`/`else` keyword reports the actual problem
    default:
      return { code: 'schema', path, at: 'value', message: `${name}: ${error.message ?? 'is invalid'}` };
  }
}

function describeUnknownField(parentPath: PathSegment[], key: string, parent: Schema): ManifestProblem {
  const path = [...parentPath, key];
  const name = formatInstancePath(path);
  const known = Object.keys((parent.properties ?? {}) as Schema);
  const mode = ((parent.properties as Record<string, Schema> | undefined)?.mode?.const) as string | undefined;
  const suggestion = suggestClosest(key, known);
  let message = `${name}: unknown field`;
  if (mode && key === 'image' && mode === 'multi-image-to-video') message += ` for ${mode} shots; did you mean "images"?`;
  else if (mode && key === 'images' && mode === 'image-to-video') message += ` for ${mode} shots; did you mean "image"?`;
  else if (mode && (key === 'subject' || key === 'enable_moderation' || key === 'image' || key === 'images')) {
    const owner = key === 'enable_moderation' || key === 'image' ? 'image-to-video' : 'multi-image-to-video';
    message += ` for ${mode} shots (only ${owner} shots take "${key}")`;
  } else if (suggestion) message += `; did you mean "${suggestion}"?`;
  return { code: 'unknown-field', path, at: 'key', message, hint: `Known fields here: ${known.join(', ')}.` };
}

const NEEDS: Record<string, string> = {
  version: 'write `version: 1` at the top',
  shots: 'list the shots under `shots:`',
  id: 'every shot needs a unique id',
  mode: 'say text-to-video, image-to-video or multi-image-to-video',
  image: 'an image-to-video shot needs its source image',
};

function describeMissing(path: PathSegment[], schemaPath: string): ManifestProblem {
  const field = String(path[path.length - 1]);
  const name = formatInstancePath(path);
  let need = NEEDS[field] ?? 'this field is required';
  if (field === 'images' && path[0] === 'subjects') need = 'a subject needs 1-4 images';
  else if (field === 'images' && schemaPath.includes('/else/')) need = 'a multi-image-to-video shot without a subject needs at least one image';
  return { code: 'required', path: path.slice(0, -1), at: 'value', message: `${name}: missing; ${need}` };
}

function describePromptChoice(path: PathSegment[], root: unknown, both: boolean): ManifestProblem {
  const name = formatInstancePath(path);
  if (both) {
    return {
      code: 'conflict',
      path: [...path, 'prompt_file'],
      at: 'key',
      message: `${name}: set either "prompt" or "prompt_file", not both`,
    };
  }
  const mode = modeAt(root, path);
  const who = mode ? `a ${mode} shot` : 'this shot';
  return { code: 'required', path, at: 'value', message: `${name}.prompt: missing; ${who} needs "prompt" or "prompt_file"` };
}

function describeMode(path: PathSegment[], data: unknown): ManifestProblem {
  const modePath = [...path, 'mode'];
  const name = formatInstancePath(modePath);
  const mode = (data as Record<string, unknown> | null)?.mode;
  if (mode === undefined) return { code: 'required', path, at: 'value', message: `${name}: missing; ${NEEDS.mode}` };
  const suggestion =
    typeof mode === 'string' ? (MODE_ALIASES[mode.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? suggestClosest(mode, MODES)) : undefined;
  return {
    code: 'enum',
    path: modePath,
    at: 'value',
    message: `${name}: expected ${describeChoices(MODES)}, got ${describeValue(mode)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  };
}

function describeEnum(path: PathSegment[], data: unknown, allowed: unknown[], root: unknown): ManifestProblem {
  const name = formatInstancePath(path);
  const field = path[path.length - 1];
  const mode = path[0] === 'shots' ? modeAt(root, path.slice(0, -1)) : undefined;
  if (field === 'duration' && mode) {
    const need = allowed.length === 1 ? `duration ${String(allowed[0])}` : `a duration of ${describeChoices(allowed)} seconds`;
    return { code: 'enum', path, at: 'value', message: `${name}: ${mode} needs ${need}, got ${describeValue(data)}` };
  }
  const strings = allowed.filter((value): value is string => typeof value === 'string');
  // Enum values are short and close to each other: only a near miss ("1080P", "720") is a typo.
  const suggestion = typeof data === 'string' ? suggestClosest(data, strings, 1) : undefined;
  return {
    code: 'enum',
    path,
    at: 'value',
    message: `${name}: expected ${describeChoices(allowed)}, got ${describeValue(data)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  };
}

function describeId(path: PathSegment[], id: string): ManifestProblem {
  const slug = id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '').slice(0, 64);
  return {
    code: 'invalid-id',
    path,
    at: 'value',
    message: `${formatInstancePath(path)}: ${JSON.stringify(id)} is not a valid shot id${slug && slug !== id ? `; did you mean "${slug}"?` : ''}`,
    hint: 'An id is 1-64 characters: lowercase letters, digits, - and _, starting with a letter or digit (it names the video file).',
  };
}

function describeImageCount(path: PathSegment[], keyword: string, limit: number, count: number, schemaPath: string): ManifestProblem {
  const name = formatInstancePath(path);
  if (keyword === 'minItems') {
    const what = path[0] === 'subjects' ? 'a subject needs' : 'a multi-image-to-video shot without a subject needs';
    return { code: 'too-few-images', path, at: 'value', message: `${name}: ${what} at least ${limit} image${limit === 1 ? '' : 's'}, got none` };
  }
  const withSubject = schemaPath.includes('/then/');
  return {
    code: 'too-many-images',
    path,
    at: 'value',
    message: withSubject
      ? `${name}: at most ${limit} images with a subject (the subject's images count as one of the ${limit + 1} elements), got ${count}`
      : `${name}: at most ${limit} images, got ${count}`,
  };
}

function modeAt(root: unknown, shotPath: PathSegment[]): string | undefined {
  let current = root;
  for (const segment of shotPath) current = (current as Record<string | number, unknown> | null)?.[segment];
  const mode = (current as Record<string, unknown> | null)?.mode;
  return typeof mode === 'string' ? mode : undefined;
}

function describeType(type: string): string {
  const names: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value lines)',
  };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

function quoteHint(type: unknown, data: unknown): { hint?: string } {
  if (type === 'string' && (typeof data === 'number' || typeof data === 'boolean')) {
    return { hint: `YAML read this as ${typeof data === 'number' ? 'a number' : 'true/false'}; put it in quotes to make it text.` };
  }
  return {};
}
