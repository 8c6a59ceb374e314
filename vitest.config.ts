import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Hang guards, not speed limits: e2e tests drive whole workflows on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most e2e time is waiting (EC2 pending timers, Scheduler, approvals), not CPU: three files at
    // once on 2 cores took the suite from 557 s to 225 s with every test passing. The default
    // (cores - 1) ran one file at a time here.
    maxWorkers: 3,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      // Functions load the catalogue at cold start from CATALOGUE_SOURCE (runtime/catalogue-source.ts).
      CATALOGUE_SOURCE: 'config/role-catalogue.json',
    },
  },
});
