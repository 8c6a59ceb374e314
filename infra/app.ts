import { createGatehouseApp } from './gatehouse.ts';

/** `cdk synth` / `cdk deploy` entry point (cdk.json: npx tsx infra/app.ts). */
const { app } = createGatehouseApp();
app.synth();
