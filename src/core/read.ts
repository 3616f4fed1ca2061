/**
 * Reading thousands of task files at once. Opening and reading small files costs about as much as
 * parsing them, so a worker thread does the file system calls while the calling thread parses what
 * has arrived: the two overlap on separate cores. Small sets are read in place (a worker takes
 * longer to start than they take to read), and if the worker cannot run the files are read in place.
 */
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { MAX_FILE_BYTES } from './parse';

export interface ReadOutcome {
  text?: string;
  /** hashText(text), when the reader had it for free (the worker hashes the bytes it read, off this thread). */
  hash?: string;
  tooLarge?: number;
  error?: string;
}

/**
 * Read one task file: open, size, read, close. Synchronous on purpose: small reads on the calling
 * thread are several times faster than a trip through the thread pool; many files go through readFilesBatched.
 */
export function readTaskFileSync(file: string): ReadOutcome {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return { tooLarge: size };
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.toString('utf8', 0, got) };
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export async function readTaskFile(file: string): Promise<ReadOutcome> {
  return readTaskFileSync(file);
}

/** Below this many files a worker does not pay for its start. */
export const WORKER_MIN_FILES = 500;
const BATCH = 256;

/**
 * The worker: reads its files in order, in batches, and posts each batch as one transferred buffer
 * (no copy) with a size per file: >= 0 bytes read, -1 an error (message in `errors`), < -1 too large
 * (-(size + 2)), and the SHA-1 of each file's bytes, which is hashText of its text when the bytes
 * are valid UTF-8 (else '', and the text is hashed where it is decoded). Plain JavaScript in a
 * string so that it runs the same from the bundle and from tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
const crypto = require('crypto');
const { isUtf8 } = require('buffer');
const sha1 = crypto.hash ? (b) => crypto.hash('sha1', b, 'base64') : (b) => crypto.createHash('sha1').update(b).digest('base64');
const { files, batch, max } = workerData;
for (let i = 0; i < files.length; i += batch) {
  const n = Math.min(batch, files.length - i);
  const sizes = new Float64Array(n);
  const errors = {};
  const hashes = new Array(n).fill('');
  const parts = [];
  let total = 0;
  for (let k = 0; k < n; k++) {
    let fd;
    try {
      fd = fs.openSync(files[i + k], 'r');
      const size = fs.fstatSync(fd).size;
      if (size > max) { sizes[k] = -(size + 2); continue; }
      const buf = Buffer.allocUnsafeSlow(size);
      let got = 0;
      while (got < size) {
        const r = fs.readSync(fd, buf, got, size - got, got);
        if (r === 0) break;
        got += r;
      }
      const bytes = buf.subarray(0, got);
      parts.push(bytes);
      sizes[k] = got;
      if (typeof isUtf8 === 'function' && isUtf8(bytes)) hashes[k] = sha1(bytes);
      total += got;
    } catch (e) {
      sizes[k] = -1;
      errors[k] = String(e && e.message || e);
    } finally {
      if (fd !== undefined) { try { fs.closeSync(fd); } catch {} }
    }
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  parentPort.postMessage({ start: i, sizes, errors, hashes, bytes: out.buffer }, [out.buffer, sizes.buffer]);
}
`;

interface BatchMessage {
  start: number;
  sizes: Float64Array;
  errors: Record<number, string>;
  hashes: string[];
  bytes: ArrayBuffer;
}

function decode(m: BatchMessage): ReadOutcome[] {
  const buf = Buffer.from(m.bytes);
  const out: ReadOutcome[] = [];
  let off = 0;
  for (let k = 0; k < m.sizes.length; k++) {
    const v = m.sizes[k];
    if (v >= 0) {
      const text = buf.toString('utf8', off, off + v);
      out.push(m.hashes[k] ? { text, hash: m.hashes[k] } : { text });
      off += v;
    } else if (v === -1) out.push({ error: m.errors[k] });
    else out.push({ tooLarge: -v - 2 });
  }
  return out;
}

/**
 * Read `files`, calling `onBatch(start, outcomes)` for consecutive runs of them in order (outcome k
 * is for files[start + k]). The calling thread is free between batches, so the event loop keeps
 * running during a long read. An exception from `onBatch` ends the read and is thrown.
 */
export async function readFilesBatched(
  files: readonly string[],
  onBatch: (start: number, outcomes: ReadOutcome[]) => void,
  minForWorker = WORKER_MIN_FILES,
): Promise<void> {
  const progress = { delivered: 0 };
  if (files.length >= minForWorker) await viaWorker(files, onBatch, progress);
  // What the worker did not deliver (it could not start, or died) is read here: it costs only speed.
  for (let i = progress.delivered; i < files.length; i += BATCH) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    onBatch(i, files.slice(i, i + BATCH).map(readTaskFileSync));
  }
}

/** Resolves when the worker has delivered every file or has stopped; rejects only with an error of `onBatch`. */
function viaWorker(
  files: readonly string[],
  onBatch: (start: number, outcomes: ReadOutcome[]) => void,
  progress: { delivered: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { files, batch: BATCH, max: MAX_FILE_BYTES },
        // It holds only the list and one batch at a time (file bytes live outside its heap): a small heap keeps the peak memory down.
        resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
      });
    } catch {
      resolve();
      return;
    }
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error === undefined) resolve();
      else reject(error);
    };
    worker.on('message', (m: BatchMessage) => {
      if (settled || m.start !== progress.delivered) return;
      try {
        onBatch(m.start, decode(m));
      } catch (e) {
        finish(e);
        return;
      }
      progress.delivered = m.start + m.sizes.length;
      if (progress.delivered === files.length) finish();
    });
    worker.on('error', () => finish());
    worker.on('exit', () => finish());
  });
}
