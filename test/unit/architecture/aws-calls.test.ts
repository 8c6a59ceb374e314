import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Two adapter rules of docs/architecture.md, read from the syntax tree of every file in
 * functions/lib:
 * - every AWS SDK `send` (`x.send(new SomeCommand(...))`, or `x.send(command)`) sits inside
 *   the function given to `callAws` (or to the two helpers that run their function through it:
 *   `conditionalWrite` of call-aws.ts and `itemPages` of adapters/dynamodb/pages.ts), so a throttle on any call is a `TransientError` that the
 *   ASL Retry matches and the failure names the operation;
 * - no loop follows a paging token (`NextToken`, `nextToken`, `LastEvaluatedKey`,
 *   `ExclusiveStartKey`, `ContinuationToken`, ...) except the page helpers
 *   `adapters/aws/pages.ts` and `adapters/dynamodb/pages.ts`.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const lib = path.join(root, 'functions/lib');

const PAGE_HELPERS = new Set(['adapters/aws/pages.ts', 'adapters/dynamodb/pages.ts']);
/** Loops over a port's pages, not AWS's, each with the reason it stays. */
const PORT_PAGING: Record<string, string> = {
  'domain/console/operations.ts':
    'searchPeople fills one console page of filtered matches from the ConsoleReads port in at most MAX_READS reads and hands the token back to the browser; pure domain cannot import adapters/aws/pages.ts',
};
const PAGING_TOKENS = /^(NextToken|nextToken|LastEvaluatedKey|ExclusiveStartKey|ContinuationToken|NextContinuationToken|StartingToken|Marker|NextMarker)$/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const parse = (name: string, text: string) => ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
const lineOf = (node: ts.Node) => node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

/**
 * An SDK v3 send: `.send(new XCommand(...))`, or `.send(x)` with `x` named like a command; or
 * Powertools' `getSecret(...)`, which makes its GetSecretValue call itself.
 */
function isSdkSend(node: ts.Node): node is ts.CallExpression {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'getSecret') return true;
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression) || node.expression.name.text !== 'send') return false;
  const [arg] = node.arguments;
  if (arg && ts.isNewExpression(arg)) return /Command$/.test(arg.expression.getText());
  return arg !== undefined && ts.isIdentifier(arg) && /command$/i.test(arg.text);
}

const WRAPPERS = new Set(['callAws', 'conditionalWrite', 'itemPages']);

const insideCallAws = (node: ts.Node): boolean => {
  for (let up = node.parent; up; up = up.parent) {
    if (ts.isCallExpression(up) && ts.isIdentifier(up.expression) && WRAPPERS.has(up.expression.text)) return true;
  }
  return false;
};

/** `file:line` of each SDK send not inside `callAws`. */
function bareSends(name: string, text: string): string[] {
  const found: string[] = [];
  walk(parse(name, text), (node) => {
    if (isSdkSend(node) && !insideCallAws(node)) found.push(`${name}:${lineOf(node)}`);
  });
  return found;
}

const isLoop = (node: ts.Node) => ts.isDoStatement(node) || ts.isWhileStatement(node) || ts.isForStatement(node);

/** `file:line` of each loop that reads or passes a paging token. */
function pagingLoops(name: string, text: string): string[] {
  const found: string[] = [];
  walk(parse(name, text), (node) => {
    if (!isLoop(node)) return;
    let token = false;
    walk(node, (inner) => {
      if ((ts.isIdentifier(inner) || ts.isStringLiteral(inner)) && PAGING_TOKENS.test(inner.text)) token = true;
    });
    if (token) found.push(`${name}:${lineOf(node)}`);
  });
  return found;
}

const files = tsFiles(lib).map((file) => ({ name: path.relative(lib, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') }));

describe('AWS calls in functions/lib', () => {
  it('reads the real tree (the checks below are not vacuous)', () => {
    const sends = files.flatMap(({ name, text }) => {
      const all: string[] = [];
      walk(parse(name, text), (node) => {
        if (isSdkSend(node)) all.push(name);
      });
      return all;
    });
    expect(sends.length).toBeGreaterThan(100);
    expect(files.some(({ name }) => name === 'adapters/aws/call-aws.ts')).toBe(true);
  });

  it('sends every SDK command through callAws', () => {
    expect(files.flatMap(({ name, text }) => bareSends(name, text))).toEqual([]);
  });

  it('pages only through adapters/aws/pages.ts and adapters/dynamodb/pages.ts', () => {
    expect(files.filter(({ name }) => !PAGE_HELPERS.has(name) && !(name in PORT_PAGING)).flatMap(({ name, text }) => pagingLoops(name, text))).toEqual([]);
    // Each exception still pages (else it goes from the list).
    for (const name of Object.keys(PORT_PAGING)) expect(pagingLoops(name, files.find((file) => file.name === name)?.text ?? '')).not.toEqual([]);
  });

  it('flags the shapes it is meant to flag, and passes their fixed forms', () => {
    expect(bareSends('a.ts', 'await client.send(new GetCommand({ TableName }));')).toEqual(['a.ts:1']);
    expect(bareSends('a.ts', 'const command = new GetCommand({});\nawait doc.send(command);')).toEqual(['a.ts:2']);
    expect(bareSends('a.ts', "await client.send(new GetCommand({})).catch((e) => { throw asTransient(e, 'x'); });")).toEqual(['a.ts:1']);
    expect(bareSends('a.ts', "await callAws('reading', () => client.send(new GetCommand({})));")).toEqual([]);
    expect(bareSends('a.ts', "await callAws('reading', async () => { return doc.send(new QueryCommand({})); });")).toEqual([]);
    expect(bareSends('a.ts', "itemPages('scanning', (start) => low.send(new ScanCommand({ ExclusiveStartKey: start })));")).toEqual([]);
    expect(bareSends('a.ts', "const read = (start) => low.send(new ScanCommand({ ExclusiveStartKey: start }));\nitemPages('scanning', read);")).toEqual(['a.ts:1']);
    expect(bareSends('a.ts', "const value = await getSecret(name, { maxAge: 300 });")).toEqual(['a.ts:1']);
    // A port method named send (a mailer) is not an SDK call.
    expect(bareSends('a.ts', 'await deps.mailer.send({ to, subject });')).toEqual([]);

    const loop = 'let start;\ndo {\n  const page = await callAws(d, () => c.send(new ScanCommand({ ExclusiveStartKey: start })));\n  start = page.LastEvaluatedKey;\n} while (start);';
    expect(pagingLoops('a.ts', loop)).toEqual(['a.ts:2']);
    expect(pagingLoops('a.ts', "let token;\nwhile (true) {\n  const out = await list({ NextToken: token });\n  token = out.NextToken;\n  if (!token) break;\n}")).toEqual(['a.ts:2']);
    expect(pagingLoops('a.ts', "for (const id of ids) await callAws(d, () => c.send(new GetCommand({ Key: { id } })));")).toEqual([]);
  });
});
