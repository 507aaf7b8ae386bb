import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from '../../../src/emulator/image-format.js';
import {
  planJsonImage,
  validateFetchedImage,
  validateFilesRequest,
  validateJsonUploadRequest,
  validateReceivedFile,
} from '../../../src/emulator/validate-upload.js';
import { TINY_PNG } from '../../helpers/emulator.js';

// The batch-upload messages of bach-api.md Part 1, verbatim; {n} is 1-based.

const MB = 1024 * 1024;

describe('submit-with-files rules', () => {
  it('request-level rules, in order', () => {
    expect(validateFilesRequest(0, 0)).toBe('The upload file list cannot be empty.');
    expect(validateFilesRequest(301, 2)).toBe('Batch upload supports a maximum of 300 images.');
    expect(validateFilesRequest(2, 1)).toBe('The length of imageNames array must match the length of files array.');
    expect(validateFilesRequest(300, 300)).toBeNull();
    expect(validateFilesRequest(3, 0)).toBeNull();
  });

  it('per-file rules, in order', () => {
    const file = (filename: string, size: number, head: Uint8Array = TINY_PNG) => validateReceivedFile({ n: 3, filename, size, head });
    expect(file('big.png', 10.5 * MB)).toBe("The 3th image 'big.png' size is 10.50MB, exceeds the maximum limit of 10MB.");
    expect(file('big.txt', 11 * MB, Buffer.from('text'))).toBe("The 3th image 'big.txt' size is 11.00MB, exceeds the maximum limit of 10MB.");
    expect(file('notes.png', 10, Buffer.from('hello'))).toBe("The 3th file 'notes.png' is not an image.");
    expect(file('photo.heic', 100)).toBe("The 3th file 'photo.heic' extension 'heic' is not supported.");
    expect(file('photo', 100)).toBe("The 3th file 'photo' does not have a valid file extension.");
    expect(file('.png', 100)).toBe("The 3th file '.png' does not have a valid file extension.");
    expect(file('photo.PNG', 10 * MB)).toBeNull();
  });
});

describe('submit (JSON) rules', () => {
  it('request-level rules, in order', () => {
    expect(validateJsonUploadRequest({ upload_type: 'url' })).toBe('The upload image list cannot be empty.');
    expect(validateJsonUploadRequest({ upload_type: 'url', images: [] })).toBe('The upload image list cannot be empty.');
    expect(validateJsonUploadRequest({ images: [{}] })).toBe('The upload type cannot be empty.');
    expect(validateJsonUploadRequest({ images: [{}], upload_type: ' ' })).toBe('The upload type cannot be empty.');
    expect(validateJsonUploadRequest({ images: [{}], upload_type: 'file' })).toBe('The upload type can only be url or base64.');
    expect(validateJsonUploadRequest({ images: Array(301).fill({}), upload_type: 'base64' })).toBe('Batch upload supports a maximum of 300 images.');
    expect(validateJsonUploadRequest({ images: Array(300).fill({}), upload_type: 'base64' })).toBeNull();
  });

  const failure = (image: unknown, type: 'url' | 'base64', n = 2) => {
    const plan = planJsonImage(image, n, type);
    return plan.ok ? null : plan.message;
  };

  it('per-image rules shared by both types', () => {
    expect(failure({ type: 'file', imageData: 'x' }, 'url')).toBe('The 2th image: For file type, please use the submit-with-files interface.');
    expect(failure({ imageData: 'file:///home/me/a.png' }, 'base64')).toBe('The 2th image: For file type, please use the submit-with-files interface.');
    expect(failure({}, 'url')).toBe('The 2th image: imageData cannot be empty.');
    expect(failure({ imageData: '' }, 'base64')).toBe('The 2th image: imageData cannot be empty.');
    expect(failure('not an object', 'url')).toBe('The 2th image: imageData cannot be empty.');
  });

  it('url images', () => {
    expect(failure({ imageData: 'not a url' }, 'url')).toBe('The 2th image URL is not a valid HTTP or HTTPS URL.');
    expect(failure({ imageData: 'https://example.com/images/cat' }, 'url')).toBe('The 2th image URL does not have a valid file extension.');
    expect(failure({ imageData: 'https://example.com/cat.heic?x=1' }, 'url')).toBe("The 2th image URL format 'heic' is not supported.");
    expect(planJsonImage({ imageData: 'http://127.0.0.1:9/a%20b.JPG?sig=1' }, 1, 'url')).toMatchObject({ ok: true, kind: 'url', name: 'a b.JPG', ext: 'jpg' });
    expect(planJsonImage({ imageData: 'http://127.0.0.1:9/a.png', imageName: 'hero.png' }, 1, 'url')).toMatchObject({ name: 'hero.png' });
  });

  it('base64 images', () => {
    const png64 = TINY_PNG.toString('base64');
    const big = 'A'.repeat(Math.ceil((10.2 * MB * 4) / 3));
    expect(failure({ imageData: big, format: 'png' }, 'base64')).toBe('The 2th image (base64) size is approximately 10.20MB, exceeds the maximum limit of 10MB.');
    expect(failure({ imageData: png64 }, 'base64')).toBe('The 2th image (base64): Cannot determine image format.');
    expect(failure({ imageData: png64, format: 'heic' }, 'base64')).toBe("The 2th image (base64) format 'heic' is not supported.");
    expect(failure({ imageData: `data:image/avif;base64,${png64}` }, 'base64')).toBe("The 2th image (base64) format 'avif' is not supported.");
    expect(failure({ imageData: Buffer.from('hello').toString('base64'), format: 'png' }, 'base64')).toBe("The 2th file 'image_2.png' is not an image.");
    expect(planJsonImage({ imageData: `data:image/png;base64,${png64}` }, 1, 'base64')).toMatchObject({ ok: true, kind: 'base64', name: 'image_1.png', ext: 'png' });
    const plan = planJsonImage({ imageData: png64, format: 'PNG', imageName: 'dot.png' }, 1, 'base64');
    expect(plan).toMatchObject({ ok: true, name: 'dot.png', ext: 'png' });
    expect(plan.ok && plan.kind === 'base64' && plan.bytes.equals(TINY_PNG)).toBe(true);
  });

  it('fetched bytes', () => {
    expect(validateFetchedImage(4, 'a.png', 12 * MB, TINY_PNG)).toBe("The 4th image 'a.png' size is 12.00MB, exceeds the maximum limit of 10MB.");
    expect(validateFetchedImage(4, 'a.png', 5, Buffer.from('<html>'))).toBe("The 4th file 'a.png' is not an image.");
    expect(validateFetchedImage(4, 'a.png', 5, TINY_PNG)).toBeNull();
  });
});

describe('sniffImageFormat', () => {
  it('recognises every upload format by its magic bytes', () => {
    const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(20)]);
    expect(sniffImageFormat(TINY_PNG)).toBe('png');
    expect(sniffImageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
    expect(sniffImageFormat(Buffer.from('GIF89a....'))).toBe('gif');
    expect(sniffImageFormat(riff)).toBe('webp');
    expect(sniffImageFormat(bmp)).toBe('bmp');
    expect(sniffImageFormat(Buffer.from([0, 0, 1, 0, 1, 0]))).toBe('ico');
    expect(sniffImageFormat(Buffer.from([0x49, 0x49, 0x2a, 0]))).toBe('tiff');
    expect(sniffImageFormat(Buffer.from([0x4d, 0x4d, 0, 0x2a]))).toBe('tiff');
    expect(sniffImageFormat(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffImageFormat(Buffer.from('<html><body>hi</body></html>'))).toBeNull();
    expect(sniffImageFormat(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(sniffImageFormat(Buffer.alloc(0))).toBeNull();
  });
});
