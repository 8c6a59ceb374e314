import { z } from 'zod';

/**
 * The normalised HRIS attributes assignment rules read. Every HRIS adapter produces these
 * (whatever the vendor calls them); `custom.<name>` carries a vendor field an adapter maps
 * by configuration. Values are text: rules compare them exactly, after trimming.
 */
export const NORMALISED_ATTRIBUTES = ['department', 'jobTitle', 'location', 'employmentType', 'costCenter', 'managerId'] as const;
export type NormalisedAttribute = (typeof NORMALISED_ATTRIBUTES)[number];

const ATTRIBUTE_NAME = new RegExp(`^(?:${NORMALISED_ATTRIBUTES.join('|')}|custom\\.[A-Za-z][A-Za-z0-9_]{0,63})$`);

/** A pattern (not a refinement) so the generated JSON Schema carries it and editors check keys too. */
export const attributeNameSchema = z.string().regex(ATTRIBUTE_NAME, {
  error: (issue) =>
    `unknown attribute ${JSON.stringify(issue.input)}: one of ${NORMALISED_ATTRIBUTES.join(', ')} or custom.<name> (letters, digits, _)`,
});

/** One attribute value as HR spells it (trimmed before comparison). */
export const attributeValueSchema = z.string().min(1, 'an attribute value must not be empty').max(256);

/** An employee's attributes, by normalised name; absent means HR did not say. */
export const employeeAttributesSchema = z.record(attributeNameSchema, attributeValueSchema);
export type EmployeeAttributes = Readonly<Record<string, string>>;

/** The attribute's value as rules compare it, or undefined when absent or blank. */
export function attributeValue(attributes: EmployeeAttributes, name: string): string | undefined {
  const value = Object.hasOwn(attributes, name) ? attributes[name]?.trim() : undefined;
  return value === undefined || value === '' ? undefined : value;
}
