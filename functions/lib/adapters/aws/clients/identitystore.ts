import { IdentitystoreClient } from '@aws-sdk/client-identitystore';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const identitystoreClient = new IdentitystoreClient({});

/**
 * For bulk work (catalogue convergence, adoption and the joiners it starts by the hundred) that runs many tasks against the Identity Store
 * API at once, all under its one account-wide rate (about 20 requests per second). The SDK's
 * adaptive retry mode adds a client-side token bucket that slows the sender down after a
 * throttle, and more attempts than the standard 3, which are not enough when tens of tasks
 * share the quota (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
 * The state machine's retrier (TransientError, backoff with full jitter) stays the outer net.
 */
export const identitystoreBulkClient = new IdentitystoreClient({ retryMode: 'adaptive', maxAttempts: 8 });
