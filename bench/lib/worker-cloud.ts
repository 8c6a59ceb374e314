import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local/cloud.ts';
import type { WorkerCleanups } from './worker.ts';

/**
 * Boots a local cloud inside a bench worker the way `npm start` runs it (state persisted
 * under a data folder, here a fresh temp one), on free ports. Stopped and its folder
 * removed by the worker's cleanups.
 */
export async function bootWorkerCloud(cleanups: WorkerCleanups, label: string, options: Omit<LocalCloudOptions, 'dataDir' | 'basePort'> = {}): Promise<LocalCloud> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (benchStateInMemory()) {
    const cloud = await startLocalCloud({ ...options, basePort: 0 });
    cleanups.defer(() => cloud.stop());
    return cloud;
  }
  const dataDir = await mkdtemp(join(tmpdir(), `gatehouse-bench-${label}-`));
  cleanups.defer(() => rm(dataDir, { recursive: true, force: true }));
  const cloud = await startLocalCloud({ ...options, dataDir, basePort: 0 });
  cleanups.defer(() => cloud.stop());
  return cloud;
}

/** A cloud-provided variable (fails loudly if the cloud stopped setting it). */
export function cloudEnv(cloud: LocalCloud, key: string): string {
  const value = cloud.env[key];
  if (value === undefined) throw new Error(`the local cloud set no ${key}`);
  return value;
}

/**
 * GATEHOUSE_BENCH_STATE=memory: the cloud keeps its emulators' state (and DynamoDB Local) in
 * memory instead of a data folder. Each emulator writes its whole state file after every mutation
 * (local/core/store.ts), which is linear in its size: seeding 10,000 Identity Store users that way
 * slowed to ~6 users/s at 3,000 and would take most of an hour before the run measured anything.
 * The suites name the mode in their rows.
 */
export const benchStateInMemory = (): boolean => process.env.GATEHOUSE_BENCH_STATE === 'memory';
