/**
 * The local cloud in a process of its own, for the crash tests: a test can SIGKILL it (or let
 * GATEHOUSE_CRASH_AT kill it as a state starts) and start another on the same data folder.
 * Options come as JSON in GATEHOUSE_CRASH_CLOUD_OPTIONS (LocalCloudOptions); once booted it
 * prints one line `READY <json>` with the cloud's endpoints and environment, and it stops
 * cleanly on SIGTERM.
 */
import '../../../local/preamble.ts';
import { startLocalCloud, type LocalCloudOptions } from '../../../local/cloud.ts';

const options = JSON.parse(process.env.GATEHOUSE_CRASH_CLOUD_OPTIONS ?? '{}') as LocalCloudOptions;
const started = performance.now();
const cloud = await startLocalCloud(options);
process.stdout.write(`READY ${JSON.stringify({ endpoints: cloud.endpoints, env: cloud.env, bootMs: Math.round(performance.now() - started) })}\n`);
process.once('SIGTERM', () => {
  void cloud.stop().then(() => process.exit(0));
});
