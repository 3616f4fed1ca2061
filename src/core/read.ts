/**
 * Reading thousands of task files at once. Opening and reading small files costs about as much as
 * parsing them, so a worker thread does file system calls while the calling thread parses: the two
 * overlap on separate cores. They share the work in batches claimed from one counter, so the calling
 * thread reads batches itself while the worker starts and whenever the worker has none ready, and a
 * worker that cannot start or dies costs only speed. Small sets are read in place.
 */
import * as fs from 'fs';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';
import { MAX_FILE_BYTES } from './parse';

export interface ReadOutcome {
  text?: string;
  /** hashText(text), when the reader had it for free (the worker hashes the bytes it read, off this thread). */
  hash?: string;
  tooLarge?: number;
  error?: string;
  /** The system's code for the error (ENOENT for a file that is not there), when it gave one. */
  code?: string;
}

/** The bytes of a run of files, one after another in `pool`, with a size for each (see readRun). */
interface RunBytes {
  /** The buffer the bytes are in: `pool`, or a bigger one that replaced it. */
  pool: Buffer;
  /** How many bytes of `pool` hold file bytes. */
  total: number;
  /** Per file: >= 0 bytes read, -1 an error (message in `errors`), < -1 too large (-(size + 2)). */
  sizes: Float64Array;
  errors: Record<number, string>;
}

/**
 * Read files[start .. start + n) into `pool` (grown when needed, reused from call to call): open,
 * size, read, close, each file synchronously (small reads on one thread are several times faster
 * than trips through the thread pool). The one reader of task files, on the calling thread and in
 * the worker, which runs its source: so it names nothing outside itself. Only regular files are read:
 * the open does not wait (a FIFO's would, until some process writes to it) and anything else is
 * refused before a read that could block for ever.
 */
function readRun(fs: typeof import('fs'), files: readonly string[], start: number, n: number, pool: Buffer, max: number): RunBytes {
  const sizes = new Float64Array(n);
  const errors: Record<number, string> = {};
  let total = 0;
  for (let k = 0; k < n; k++) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(files[start + k], fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK || 0));
      const st = fs.fstatSync(fd);
      if (!st.isFile()) {
        sizes[k] = -1;
        errors[k] = `${st.isDirectory() ? 'EISDIR: a folder' : 'not a regular file (a FIFO, socket or device)'}; it is not read`;
        continue;
      }
      const size = st.size;
      if (size > max) {
        sizes[k] = -(size + 2);
        continue;
      }
      if (total + size > pool.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(pool.length * 2, total + size));
        pool.copy(bigger, 0, 0, total);
        pool = bigger;
      }
      let got = 0;
      while (got < size) {
        const r = fs.readSync(fd, pool, total + got, size - got, got);
        if (r === 0) break;
        got += r;
      }
      sizes[k] = got;
      total += got;
    } catch (e) {
      sizes[k] = -1;
      errors[k] = String((e as Error)?.message ?? e);
    } finally {
      if (fd !== undefined) {
        try {
          fs.closeSync(fd);
        } catch {
          // the read is what counts
        }
      }
    }
  }
  return { pool, total, sizes, errors };
}

/** The outcome of each file of a run, its text decoded from `bytes` (the run's bytes from offset 0). */
function decode(bytes: Buffer, { sizes, errors }: Pick<RunBytes, 'sizes' | 'errors'>, hashes?: readonly string[]): ReadOutcome[] {
  const out: ReadOutcome[] = [];
  let off = 0;
  for (let k = 0; k < sizes.length; k++) {
    const v = sizes[k];
    if (v >= 0) {
      const text = bytes.toString('utf8', off, off + v);
      out.push(hashes?.[k] ? { text, hash: hashes[k] } : { text });
      off += v;
    } else if (v === -1) {
      const code = /^E[A-Z]+(?=:)/.exec(errors[k])?.[0];
      out.push(code ? { error: errors[k], code } : { error: errors[k] });
    }
    else out.push({ tooLarge: -v - 2 });
  }
  return out;
}

/** The calling thread's buffer for readRun: it holds one run's bytes only until they are decoded. */
let localPool: Buffer = Buffer.allocUnsafeSlow(1 << 16);

/** Read a run of files on the calling thread, into its pool. */
function runHere(files: readonly string[], start: number, n: number, max: number): RunBytes {
  const run = readRun(fs, files, start, n, localPool, max);
  // A pool grown for a rare big file is not kept.
  if (run.pool.length <= 1 << 20) localPool = run.pool;
  return run;
}

/** Read a run of files on the calling thread, decoded. */
function readRunHere(files: readonly string[], start: number, n: number, max = MAX_FILE_BYTES): ReadOutcome[] {
  const run = runHere(files, start, n, max);
  return decode(run.pool, run);
}

/**
 * Read one regular file: its text, or why there is none (too large, an error). For a project's
 * files, read through fileRule.ts, which also keeps links inside the project.
 */
export function readTaskFileSync(file: string, max = MAX_FILE_BYTES): ReadOutcome {
  return readRunHere([file], 0, 1, max)[0];
}

/** Read one regular file as bytes, not decoded (the same reader as readTaskFileSync). */
export function readFileBytesSync(file: string, max = MAX_FILE_BYTES): Omit<ReadOutcome, 'text' | 'hash'> & { bytes?: Buffer } {
  const run = runHere([file], 0, 1, max);
  const size = run.sizes[0];
  if (size >= 0) return { bytes: Buffer.from(run.pool.subarray(0, size)) };
  const [outcome] = decode(run.pool, run);
  return outcome;
}

/** Below this many files a worker does not pay for its start. */
export const WORKER_MIN_FILES = 500;
const BATCH = 256;

/**
 * The worker: waits for the list of files on `port`, then claims batches from the shared counter
 * (`control[0]`) until none are left, reads each with readRun and posts it on `port` as one
 * transferred buffer (no copy) with the sizes and errors, and the SHA-1 of each file's bytes, which
 * is hashText of its text when the bytes are valid UTF-8 (else '', and the text is hashed where it
 * is decoded). After each post it bumps `control[1]` and wakes the caller. Plain JavaScript in a
 * string (readRun's compiled source included) so that it runs the same from the bundle and from tests.
 */
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const fs = require('fs');
const crypto = require('crypto');
const { isUtf8 } = require('buffer');
const sha1 = crypto.hash ? (b) => crypto.hash('sha1', b, 'base64') : (b) => crypto.createHash('sha1').update(b).digest('base64');
const readRun = ${readRun.toString()};
const { batch, max, control, port } = workerData;
const ctl = new Int32Array(control);
port.once('message', (files) => {
  let pool = Buffer.allocUnsafeSlow(1 << 20);
  const batches = Math.ceil(files.length / batch);
  for (let b = Atomics.add(ctl, 0, 1); b < batches; b = Atomics.add(ctl, 0, 1)) {
    const run = readRun(fs, files, b * batch, Math.min(batch, files.length - b * batch), pool, max);
    pool = run.pool;
    const hashes = [];
    for (let k = 0, off = 0; k < run.sizes.length; k++) {
      const v = run.sizes[k];
      if (v < 0) { hashes.push(''); continue; }
      const bytes = pool.subarray(off, off + v);
      hashes.push(typeof isUtf8 === 'function' && isUtf8(bytes) ? sha1(bytes) : '');
      off += v;
    }
    const out = new Uint8Array(run.total);
    out.set(pool.subarray(0, run.total));
    port.postMessage({ batch: b, sizes: run.sizes, errors: run.errors, hashes, bytes: out.buffer }, [out.buffer, run.sizes.buffer]);
    Atomics.add(ctl, 1, 1);
    Atomics.notify(ctl, 1);
  }
});
`;

interface BatchMessage {
  batch: number;
  sizes: Float64Array;
  errors: Record<number, string>;
  hashes: string[];
  bytes: ArrayBuffer;
}

const decodeBatch = (m: BatchMessage) => decode(Buffer.from(m.bytes), m, m.hashes);

/** The worker's side of the work, as the calling thread sees it. */
export interface ReadHelper {
  /** Hand over the files (once): the worker starts reading. */
  begin(files: readonly string[]): void;
  /** The next unclaimed batch (>= the number of batches when none is left). */
  claim(): number;
  /** A batch the worker has posted, without waiting. */
  take(): BatchMessage | undefined;
  /** Wait until the worker posts again or stops; false when it has stopped. */
  wait(): Promise<boolean>;
  stop(): void;
}

type WaitAsync = (a: Int32Array, i: number, v: number) => { value: Promise<unknown> | string };
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Until `a[i]` is no longer `v`, without blocking the thread (polling where Atomics.waitAsync is missing). */
async function waitChange(a: Int32Array, i: number, v: number): Promise<void> {
  if (waitAsync) {
    await waitAsync(a, i, v).value;
    return;
  }
  while (Atomics.load(a, i) === v) await new Promise((r) => setTimeout(r, 1));
}

/**
 * Start the reading worker before the list of files is known, so that its start (tens of milliseconds)
 * overlaps the listing; pass it to readFilesBatched, which stops it. Undefined when no worker can run.
 */
export function startReadHelper(): ReadHelper | undefined {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { batch: BATCH, max: MAX_FILE_BYTES, control: control.buffer, port: port2 },
      transferList: [port2],
      // It holds only the list and one batch at a time (file bytes live outside its heap): a small heap keeps the peak memory down.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
  } catch {
    port1.close();
    return undefined;
  }
  let alive = true;
  const stopped = () => {
    alive = false;
    // Wakes a wait() in progress.
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  };
  worker.on('error', stopped);
  worker.on('exit', stopped);
  let seen = 0;
  return {
    begin: (files) => port1.postMessage(files),
    claim: () => Atomics.add(control, 0, 1),
    take: () => receiveMessageOnPort(port1)?.message as BatchMessage | undefined,
    async wait() {
      const posted = Atomics.load(control, 1);
      if (posted === seen && alive) await waitChange(control, 1, posted);
      seen = Atomics.load(control, 1);
      return alive;
    },
    stop() {
      alive = false;
      port1.close();
      void worker.terminate();
    },
  };
}

/**
 * Read `files`, calling `onBatch(start, outcomes)` once for each run of them (outcome k is for
 * files[start + k]); runs come in no particular order. The calling thread is free between batches,
 * so the event loop keeps running during a long read. An exception from `onBatch` ends the read and
 * is thrown.
 */
export interface ReadOptions {
  /** From how many files on a worker helps (default WORKER_MIN_FILES). */
  minForWorker?: number;
  /** Whether the calling thread reads batches too (default true; false leaves every batch to a running worker). */
  callerReads?: boolean;
  /** A worker started ahead (startReadHelper), used when there are enough files; stopped in any case. */
  helper?: ReadHelper;
}

export async function readFilesBatched(
  files: readonly string[],
  onBatch: (start: number, outcomes: ReadOutcome[]) => void,
  { minForWorker = WORKER_MIN_FILES, callerReads = true, helper: early }: ReadOptions = {},
): Promise<void> {
  const batches = Math.ceil(files.length / BATCH);
  const done = new Uint8Array(batches);
  let left = batches;
  const deliver = (b: number, outcomes: ReadOutcome[]) => {
    if (done[b]) return;
    done[b] = 1;
    left--;
    onBatch(b * BATCH, outcomes);
  };
  const inPlace = (b: number) => deliver(b, readRunHere(files, b * BATCH, Math.min(BATCH, files.length - b * BATCH)));
  if (early && files.length < minForWorker) early.stop();
  const helper = files.length < minForWorker ? undefined : early ?? startReadHelper();
  helper?.begin(files);
  /** Take in every batch the worker has posted. */
  const deliverPosted = () => {
    for (let m = helper?.take(); m; m = helper?.take()) deliver(m.batch, decodeBatch(m));
  };
  let local = 0;
  try {
    for (let turn = 0; left > 0; turn++) {
      if (turn) await new Promise((r) => setImmediate(r));
      deliverPosted();
      if (!left) break;
      const b = !helper ? local++ : callerReads ? helper.claim() : batches;
      if (b < batches) {
        inPlace(b);
        continue;
      }
      // Every batch is claimed: wait for those the worker holds, or read them here if it stopped.
      if (helper && (await helper.wait())) continue;
      deliverPosted();
      for (let i = 0; i < batches; i++) if (!done[i]) inPlace(i);
    }
  } finally {
    helper?.stop();
  }
}
