/**
 * Imported first by every local entry point (npm start, demo, bench): settles process
 * defaults before any AWS SDK module loads. ESM evaluates imports in order.
 */
import './sfn/polyfill.ts';

// Node 20 is supported locally (Lambda runs nodejs22.x); the SDK's notice about it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
