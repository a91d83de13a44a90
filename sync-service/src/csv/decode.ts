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
 * drops a BOM, and turns each CRLF between records into LF so csv-parse counts lines the same for Windows and Unix
 * files. A CRLF inside a quoted cell is the cell's own text and is kept as written, so an export re-imports exactly.
 */
export function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let first = true;
  let heldCR = false;
  // Inside a quoted cell? A doubled quote toggles twice, so parity is exact for every file csv-parse accepts.
  let quoted = false;

  const emit = (self: Transform, text: string) => {
    const src = (heldCR ? '\r' : '') + text;
    heldCR = false;
    let out = '';
    let from = 0;
    for (let i = 0; i < src.length; i += 1) {
      const c = src.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (c === 13 && !quoted) {
        // A CR at the end of a chunk waits for the next one to know whether an LF follows.
        if (i + 1 === src.length) {
          out += src.slice(from, i);
          from = src.length;
          heldCR = true;
        } else if (src.charCodeAt(i + 1) === 10) {
          out += src.slice(from, i);
          from = i + 1;
        }
      }
    }
    out += src.slice(from);
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
