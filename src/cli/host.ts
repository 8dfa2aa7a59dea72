// What a command touches of its host, as interfaces: main.ts hands in Node's `process`, tests
// hand in their own streams, and the rest of the CLI type-checks without Node's types.

export interface InputStream {
  isTTY?: boolean;
  setEncoding(encoding: 'utf8'): void;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

export interface OutputStream {
  isTTY?: boolean;
  write(chunk: string): boolean;
}

/** Everything a command touches, so a command can run against other streams than the process's. */
export interface Io {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

/** Reads a stream line by line, on demand: prompts and the stdio bridge share stdin this way. */
export class LineReader {
  readonly #lines: string[] = [];
  readonly #waiting: ((line: string | undefined) => void)[] = [];
  readonly #stream: InputStream;
  #buffer = '';
  #ended = false;

  constructor(stream: InputStream) {
    this.#stream = stream;
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      this.#buffer += chunk;
      let end: number;
      while ((end = this.#buffer.indexOf('\n')) !== -1) {
        this.#push(this.#buffer.slice(0, end).replace(/\r$/, ''));
        this.#buffer = this.#buffer.slice(end + 1);
      }
    });
    stream.on('end', () => {
      if (this.#buffer !== '') this.#push(this.#buffer);
      this.#buffer = '';
      this.#ended = true;
      for (const waiter of this.#waiting.splice(0)) waiter(undefined);
    });
  }

  #push(line: string): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(line);
    else this.#lines.push(line);
  }

  /** The next line, or undefined once the stream has ended. */
  next(): Promise<string | undefined> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(undefined);
    // Paused between prompts so an idle stdin does not keep the process alive.
    this.#stream.resume();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  pause(): void {
    this.#stream.pause();
  }
}

/** The file system as `init` uses it; the Node implementation is files.ts. */
export interface Files {
  /** The names in a directory; undefined when nothing is there. Throws when the path is a file or unreadable. */
  entries(path: string): Promise<string[] | undefined>;
  /** Writes a text file, creating its directories. */
  write(path: string, text: string): Promise<void>;
  /** This package's own package.json. */
  manifest(): Promise<unknown>;
}
