import { Transform, type TransformCallback } from 'node:stream';

/** A CSV the service cannot read as UTF-8 text; `line` is where the first unreadable byte sits. */
export class UnreadableEncodingError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const ADVICE = 'Save the file as "CSV UTF-8" and upload it again.';

/**
 * Bytes in, UTF-8 text out, streaming: refuses anything that is not UTF-8 (with the line of the first bad byte),
 * drops a BOM, and turns CRLF into LF so csv-parse counts lines the same for Windows and Unix files.
 */
export function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let first = true;
  let heldCR = false;

  const emit = (self: Transform, text: string) => {
    let out = (heldCR ? '\r' : '') + text;
    heldCR = out.endsWith('\r');
    if (heldCR) out = out.slice(0, -1);
    out = out.replace(/\r\n/g, '\n');
    for (let i = out.indexOf('\n'); i !== -1; i = out.indexOf('\n', i + 1)) line += 1;
    if (out) self.push(out);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (first) {
        first = false;
        if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
          return done(new UnreadableEncodingError(1, `The file is UTF-16 text. ${ADVICE}`));
        }
      }
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const lenient = new TextDecoder('utf-8').decode(chunk);
        const before = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
        const at = line + (before.match(/\n/g)?.length ?? 0);
        return done(new UnreadableEncodingError(at, `Line ${at} has bytes that are not UTF-8 text. ${ADVICE}`));
      }
      emit(this, text);
      done();
    },
    flush(done: TransformCallback) {
      try {
        const rest = decoder.decode();
        emit(this, rest);
      } catch {
        return done(new UnreadableEncodingError(line, `The file ends in the middle of a character. ${ADVICE}`));
      }
      if (heldCR) this.push('\r');
      done();
    },
  });
}
