import { afterAll } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import type { Emulator } from '../../local/core/emulator.ts';
import { startHttpServer } from '../../local/core/http.ts';

/** SDK client settings for a test talking to one emulator on loopback. */
export const clientConfig = (endpoint: string, maxAttempts = 3) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts,
});

/** Serves an emulator on a free loopback port for the rest of the test file. */
export async function serve(emulator: Emulator): Promise<string> {
  const server = await startHttpServer(0, emulator.handler);
  afterAll(async () => {
    await emulator.stop?.();
    await server.close();
  });
  return server.url;
}

export const noFaults = (): FaultInjector => new FaultInjector();
