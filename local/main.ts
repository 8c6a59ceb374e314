/**
 * `npm start`     boots the local cloud under .gatehouse/ on fixed ports, runs the demo,
 *                 and keeps serving until Ctrl-C.
 * `npm run demo`  boots a fresh cloud on free ports in a temp folder, runs the demo, and
 *                 exits 0 only if every expected outcome was observed.
 */
import './preamble.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FaultSpecError, parseFaultSpec } from './core/faults.ts';
import { PortInUseError, startLocalCloud, type LocalCloud } from './cloud.ts';
import { JavaMissingError } from './dynamodb-local.ts';
import { CatalogueInvalidError } from '../functions/lib/domain/catalogue/load.ts';
import { runDemo } from './demo/run.ts';
import { DEFAULT_BASE_PORT } from './endpoints.ts';
import { ensureConsoleBuilt } from '../tools/console-build.ts';

const demoOnly = process.argv.includes('--demo');
const skipDemo = process.argv.includes('--no-demo');

function printUrls(cloud: LocalCloud, bootMs: number, dataDir: string): void {
  const e = cloud.endpoints;
  console.log(`\nGatehouse local cloud ready in ${(bootMs / 1000).toFixed(1)} s (state: ${dataDir})\n`);
  console.log(`  Console          ${cloud.consoleUrl}  (sign in as any demo person)`);
  console.log(`  HRIS webhook     POST ${e.frontdoor}/hris/{generic|bamboohr|hibob|personio}`);
  console.log(`  Local HRIS       ${e.hris}  (HiBob, BambooHR, Personio APIs; npm run gatehouse -- hris list|add|change|terminate)`);
  console.log(`  Approval pages   ${e.frontdoor}/approvals/{id}  (links arrive by mail)`);
  console.log(`  Mail inbox       ${cloud.inboxUrl}`);
  console.log(`  Role catalogue   ${cloud.catalogue.source}  version ${cloud.catalogue.version}  (GATEHOUSE_CATALOGUE=path to serve another)`);
  console.log(`  Fault injection  ${e.frontdoor}/_local/faults  (POST {"spec":"identitystore:*:throttle=0.2"}, DELETE to clear; local/README.md)`);
  console.log(`  Kill switch      POST ${e.frontdoor}/operator/leavers  (npm run gatehouse -- leave <employeeId> --reason "..." --local)`);
  console.log(`  OIDC issuer      ${cloud.oidc.issuer}  (tokens: npm run -s gatehouse -- token --email you@example.com --groups gatehouse-operators)`);
  for (const [service, url] of Object.entries(e)) if (service !== 'frontdoor' && service !== 'hris') console.log(`  ${service.padEnd(16)} ${url}`);
  console.log(`\n  AWS CLI / scripts: source ${join(dataDir, 'endpoints.env')}\n`);
}

/** GATEHOUSE_PORT_BASE, checked: the cloud takes base..base+9. */
function portBase(): number | undefined {
  const raw = process.env.GATEHOUSE_PORT_BASE ?? String(DEFAULT_BASE_PORT);
  const base = Number(raw);
  if (Number.isInteger(base) && base >= 1024 && base <= 65_535 - 9) return base;
  console.error(`GATEHOUSE_PORT_BASE=${raw} is not a port number from 1024 to ${65_535 - 9} (the local cloud uses base..base+9).`);
  return undefined;
}

async function main(): Promise<number> {
  const basePort = demoOnly ? 0 : portBase();
  if (basePort === undefined) return 2;
  const dataDir = demoOnly ? mkdtempSync(join(tmpdir(), 'gatehouse-demo-')) : resolve(process.env.GATEHOUSE_DATA_DIR ?? '.gatehouse');
  const started = performance.now();
  if (await ensureConsoleBuilt()) console.log(`Console built (web/dist) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud({ dataDir, basePort, faults: parseFaultSpec(process.env.GATEHOUSE_FAULTS ?? '') });
  } catch (error) {
    if (error instanceof CatalogueInvalidError) {
      console.error(`Cannot start: the role catalogue is invalid (npm run gatehouse -- catalogue validate ${error.source}):`);
      for (const issue of error.issues) console.error(`  ${error.source}: ${issue.path}: ${issue.message}`);
      return 2;
    }
    if (error instanceof JavaMissingError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof FaultSpecError) {
      console.error(`GATEHOUSE_FAULTS: ${error.message} (local/README.md, "Fault injection")`);
      return 2;
    }
    if (error instanceof PortInUseError) {
      const next = basePort + 100;
      console.error(
        `Cannot start: ${error.message}. The local cloud uses ports ${basePort}-${basePort + 9}.\n` +
          `Is another local cloud (npm start) still running? Stop it, or pick other ports: GATEHOUSE_PORT_BASE=${next} npm start (uses ${next}-${next + 9}).`,
      );
      return 2;
    }
    throw error;
  }
  printUrls(cloud, performance.now() - started, dataDir);

  let ok = true;
  if (!skipDemo) ok = await runDemo(cloud);
  if (demoOnly) {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
    return ok ? 0 : 1;
  }
  console.log(`Serving. Press Ctrl-C to stop (state is kept in ${dataDir}).`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  console.log('\nStopping...');
  await cloud.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('local cloud failed:', error);
    process.exit(1);
  },
);
