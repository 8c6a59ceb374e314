import type { RequestRecord } from './request-record.ts';

/** The requests table as the workflows' first steps write it. Implemented in: dynamodb/requests.ts. */

export interface RequestRepository {
  /** The request, read consistently; undefined when there is none. */
  get(requestId: string): Promise<RequestRecord | undefined>;
  /**
   * Writes the request once. The same execution writing it again (a Step Functions retry)
   * overwrites it with the same facts; another execution claiming the id is a ConflictError.
   */
  put(record: RequestRecord): Promise<void>;
}
