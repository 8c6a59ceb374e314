/** Global test setup: nothing shared yet beyond env; DynamoDB Local is started here once it exists. */
export default function setup(): void {}
