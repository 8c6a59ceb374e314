import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Append ids (employeeId, requestId, executionName), never whole HR
 * payloads: they are personal data.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'gatehouse' });
