// Splits a response body into lines (LF, CRLF or CR) as its chunks arrive. Each byte is searched
// once, so a line delivered in many chunks costs time linear in its length, and a line longer
// than the cap ends the read instead of growing memory. LF and CR never occur inside a UTF-8
// multi-byte sequence, so lines are cut as bytes and decoded whole.
import { messageTooLarge } from './errors.ts';

const LF = 0x0a;
const CR = 0x0d;
const BOM = '\ufeff';

export class LineSplitter {
  readonly #maxLineBytes: number;
  // ignoreBOM: a U+FEFF inside the stream is data; only the stream's first one is dropped (below).
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The start of the line in progress, from earlier chunks. */
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  /** The last chunk ended in CR: an LF opening the next chunk belongs to that line end. */
  #afterCr = false;
  #first = true;
  #examined = 0;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Bytes the search for line ends has looked at: never more than twice the input. */
  get examined(): number {
    return this.#examined;
  }

  /** The lines this chunk completes. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = this.#afterCr && chunk[0] === LF ? 1 : 0;
    this.#afterCr = false;
    let lf = this.#find(chunk, LF, start);
    let cr = this.#find(chunk, CR, start);
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      lines.push(this.#line(chunk.subarray(start, end)));
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.#afterCr = true;
        else if (chunk[start] === LF) start++;
      }
      if (lf !== -1 && lf < start) lf = this.#find(chunk, LF, start);
      if (cr !== -1 && cr < start) cr = this.#find(chunk, CR, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.#checkSize(rest.byteLength);
      this.#held.push(rest);
      this.#heldBytes += rest.byteLength;
    }
    return lines;
  }

  /** The last line when the body ended without a line end, else undefined. */
  end(): string | undefined {
    return this.#heldBytes === 0 ? undefined : this.#line(new Uint8Array(0));
  }

  /** Where `byte` next occurs from `from`, counting the bytes the search covers. */
  #find(chunk: Uint8Array, byte: number, from: number): number {
    const at = chunk.indexOf(byte, from);
    this.#examined += (at === -1 ? chunk.length : at + 1) - from;
    return at;
  }

  #checkSize(more: number): void {
    if (this.#heldBytes + more > this.#maxLineBytes) throw messageTooLarge(this.#maxLineBytes);
  }

  #line(tail: Uint8Array): string {
    this.#checkSize(tail.byteLength);
    let bytes = tail;
    if (this.#held.length > 0) {
      bytes = new Uint8Array(this.#heldBytes + tail.byteLength);
      let offset = 0;
      for (const part of [...this.#held, tail]) {
        bytes.set(part, offset);
        offset += part.byteLength;
      }
      this.#held = [];
      this.#heldBytes = 0;
    }
    let text = this.#decoder.decode(bytes);
    if (this.#first && text.startsWith(BOM)) text = text.slice(1);
    this.#first = false;
    return text;
  }
}
