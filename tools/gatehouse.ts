/** `npm run audit -- export|verify|query ...`: see functions/lib/audit-export/cli.ts. */
import { runCli } from '../functions/lib/audit-export/cli.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const [area, ...argv] = process.argv.slice(2);
const args = area === 'audit' ? argv : process.argv.slice(2);
process.exitCode = await runCli(args, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
