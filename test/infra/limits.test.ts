import { beforeAll, describe, expect, it } from 'vitest';
import { synthGatehouse, type Synthesised } from './synth.ts';

/**
 * CloudFormation's per-template quotas
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
 * 500 resources, 200 parameters, 200 outputs, and 1 MB for a template body read from S3 (CDK uploads
 * templates as assets). Each stack keeps a fifth of every quota free, so the next feature lands without
 * a re-cut; the figures are printed so a change that eats headroom shows in the test log.
 */
const QUOTAS = { resources: 500, parameters: 200, outputs: 200, bytes: 1_000_000 } as const;
const HEADROOM = 0.8;

interface TemplateJson {
  Resources?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

function figures(template: TemplateJson): Record<keyof typeof QUOTAS, number> {
  return {
    resources: Object.keys(template.Resources ?? {}).length,
    parameters: Object.keys(template.Parameters ?? {}).length,
    outputs: Object.keys(template.Outputs ?? {}).length,
    bytes: Buffer.byteLength(JSON.stringify(template)),
  };
}

let synth: Synthesised;
beforeAll(() => {
  synth = synthGatehouse();
});

describe('stack quotas', () => {
  it.each(['main', 'monitoring'] as const)('the %s stack keeps a fifth of every CloudFormation template quota free', (which) => {
    const template = (which === 'main' ? synth.template : synth.monitoring.template).toJSON() as TemplateJson;
    const seen = figures(template);
    console.info(`${which} stack: ${JSON.stringify(seen)} of ${JSON.stringify(QUOTAS)}`);
    for (const key of Object.keys(QUOTAS) as (keyof typeof QUOTAS)[]) {
      expect(seen[key], `${which} stack ${key}: ${seen[key]} of ${QUOTAS[key]}`).toBeLessThanOrEqual(QUOTAS[key] * HEADROOM);
    }
  });

  it('puts every alarm in the monitoring stack, which the main stack creates once', () => {
    const nested = Object.values(synth.resources).filter((resource) => (resource as { Type: string }).Type === 'AWS::CloudFormation::Stack');
    expect(nested).toHaveLength(1);
    expect(Object.values(synth.monitoring.resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length).toBeGreaterThan(50);
  });
});
