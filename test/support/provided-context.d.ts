// Values global-setup.ts hands to every test file through vitest's provide/inject.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared in-memory DynamoDB Local, e.g. `http://127.0.0.1:41234`. */
    dynamodbEndpoint: string;
  }
}
