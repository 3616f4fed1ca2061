import type { ChildProcess, SpawnOptions, SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';

export function childEnv(extra?: NodeJS.ProcessEnv, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function spawnChild(cmd: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
export function exitCode(child: ChildProcess): Promise<number>;
export function spawnChildSync(cmd: string, args: readonly string[], options?: SpawnSyncOptions): SpawnSyncReturns<string | Buffer>;
