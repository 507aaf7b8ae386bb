import { BachError } from '../errors.js';

// Its own module, apart from the multipart body that throws it (upload-form.ts): the executor checks
// for it (render/upload-images.ts) and needs nothing else of the upload.

/** A file whose content is no longer what the plan hashed: that image is refused, the others go on. */
export class InputChangedError extends BachError {
  constructor(readonly path: string, detail: string) {
    super('input-changed', `${path} changed while the build was running (${detail}); it was not uploaded`, {
      hint: 'Run the build again once the file is saved: the plan will hash its new content.',
    });
  }
}
