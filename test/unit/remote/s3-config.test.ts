import { describe, expect, it } from 'vitest';
import { createObjectUrl, fromServerKey, resolveS3Config, toServerKey } from '../../../src/remote/s3-config.js';
import { classifyS3Answer } from '../../../src/remote/s3-errors.js';
import { parseErrorCode, parseListPage } from '../../../src/remote/s3-xml.js';

// How an s3:// remote is addressed (pure), how the server's XML is read, and what each refusal means.

const location = { bucket: 'team-videos', prefix: 'film', url: 's3://team-videos/film' };
const creds = { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'sk' };

describe('resolveS3Config', () => {
  it('addresses AWS itself virtual-hosted in the region, dotted buckets path-style', () => {
    const config = resolveS3Config(location, { ...creds, AWS_REGION: 'eu-west-1' });
    expect(config).toMatchObject({ endpoint: 'https://team-videos.s3.eu-west-1.amazonaws.com', addressing: 'virtual', region: 'eu-west-1', display: 's3://team-videos/film' });
    expect(createObjectUrl(config, 'v1/results/a.json')).toBe('https://team-videos.s3.eu-west-1.amazonaws.com/film/v1/results/a.json');
    expect(createObjectUrl(config, null, { 'list-type': '2' })).toBe('https://team-videos.s3.eu-west-1.amazonaws.com/?list-type=2');
    const dotted = resolveS3Config({ bucket: 'team.videos', prefix: '', url: 's3://team.videos' }, creds);
    expect(dotted).toMatchObject({ endpoint: 'https://s3.us-east-1.amazonaws.com', addressing: 'path', region: 'us-east-1' });
    expect(createObjectUrl(dotted, 'k')).toBe('https://s3.us-east-1.amazonaws.com/team.videos/k');
  });

  it('addresses a custom endpoint path-style, AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL', () => {
    const config = resolveS3Config(location, { ...creds, AWS_ENDPOINT_URL: 'http://other:1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000/' });
    expect(config).toMatchObject({ endpoint: 'http://127.0.0.1:9000', addressing: 'path', display: 's3://team-videos/film at http://127.0.0.1:9000' });
    expect(createObjectUrl(config, 'v1/x y.json')).toBe('http://127.0.0.1:9000/team-videos/film/v1/x%20y.json');
    expect(createObjectUrl(config, null, { prefix: 'film/v1/' })).toBe('http://127.0.0.1:9000/team-videos?prefix=film%2Fv1%2F');
    expect(resolveS3Config(location, { AWS_ENDPOINT_URL: 'https://acct.r2.cloudflarestorage.com' }).region).toBe('auto');
  });

  it('takes credentials from the variables, or none (anonymous)', () => {
    expect(resolveS3Config(location, { ...creds, AWS_SESSION_TOKEN: 'tok' }).credentials).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'sk', sessionToken: 'tok' });
    expect(resolveS3Config(location, {}).credentials).toBeNull();
  });

  it('maps keys under the prefix and back', () => {
    const config = resolveS3Config(location, creds);
    expect(toServerKey(config, 'v1/results/')).toBe('film/v1/results/');
    expect(fromServerKey(config, 'film/v1/results/a.json')).toBe('v1/results/a.json');
    expect(fromServerKey(config, 'filmmaker/v1/a')).toBeUndefined();
    const root = resolveS3Config({ ...location, prefix: '' }, creds);
    expect(toServerKey(root, 'v1/a')).toBe('v1/a');
  });

  it.each([
    [{ AWS_ENDPOINT_URL_S3: 'not a url' }, 'AWS_ENDPOINT_URL_S3 is not a URL'],
    [{ AWS_ENDPOINT_URL: 'ftp://x' }, 'AWS_ENDPOINT_URL must be an http(s) URL, not ftp:'],
    [{ AWS_ENDPOINT_URL_S3: 'http://x/?a=b' }, 'must not have a query string'],
    [{ AWS_REGION: 'Europe West' }, 'AWS_REGION "Europe West" is not a region name'],
  ])('refuses %j', (env, message) => {
    expect(() => resolveS3Config(location, env)).toThrow(message);
  });
});

describe('S3 XML', () => {
  it('reads a ListObjectsV2 page with URL-encoded keys', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><EncodingType>url</EncodingType>' +
      '<IsTruncated>true</IsTruncated><Contents><Key>film/v1/results/a.json</Key><Size>5</Size></Contents>' +
      '<Contents><Key>film/a%20b+c%26d</Key><ETag>&quot;x&quot;</ETag></Contents></ListBucketResult>';
    expect(parseListPage(xml)).toEqual({ keys: ['film/v1/results/a.json', 'film/a b c&d'], truncated: true });
    expect(parseListPage('<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>')).toEqual({ keys: [], truncated: false });
    expect(parseListPage('<html>not s3</html>')).toBeUndefined();
  });

  it('reads the code of an error document', () => {
    expect(parseErrorCode('<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><BucketName>b</BucketName></Error>')).toBe('NoSuchBucket');
    expect(parseErrorCode('')).toBeUndefined();
  });
});

describe('classifyS3Answer', () => {
  const context = { display: 's3://b at http://h', bucket: 'b', key: 'v1/results/x.json', writing: false, anonymous: false };
  it.each([
    [404, 'NoSuchBucket', {}, 'missing', 'the bucket "b" does not exist; create it or fix the remote URL'],
    [403, 'SignatureDoesNotMatch', {}, 'credentials', 'the secret key is wrong (SignatureDoesNotMatch, HTTP 403); check AWS_SECRET_ACCESS_KEY'],
    [403, 'InvalidAccessKeyId', {}, 'credentials', 'the server does not know this access key'],
    [400, 'ExpiredToken', {}, 'credentials', 'refresh AWS_SESSION_TOKEN'],
    [403, 'RequestTimeTooSkewed', {}, 'credentials', "this machine's clock is too far from the server's"],
    [400, 'AuthorizationHeaderMalformed', {}, 'credentials', 'set AWS_REGION'],
    [301, undefined, {}, 'credentials', 'set AWS_REGION'],
    [403, 'AccessDenied', { writing: true }, 'denied', 'no permission to write (AccessDenied, HTTP 403) (object v1/results/x.json); use read-only mode'],
    [403, 'AccessDenied', {}, 'denied', 'no permission to read'],
    [403, 'AccessDenied', { anonymous: true }, 'denied', 'anonymous access refused'],
    [400, 'XAmzContentSHA256Mismatch', { writing: true }, 'local', 'the file changed while it was uploaded'],
    [503, 'SlowDown', {}, 'server', 'the server failed (SlowDown, HTTP 503)'],
    [400, 'InvalidArgument', {}, 'server', 'unexpected answer (InvalidArgument, HTTP 400)'],
  ] as const)('%i %s', (status, code, extra, kind, text) => {
    const error = classifyS3Answer(status, code, { ...context, ...extra });
    expect(error.kind).toBe(kind);
    expect(error.message).toContain(text);
    expect(error.message).toMatch(/^team cache s3:\/\/b at http:\/\/h: /);
  });
});
