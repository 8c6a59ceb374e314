import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder rules of docs/architecture.md, read from the import statements of
 * functions/lib (type imports count: a cycle of types is still a cycle in the design).
 */
const root = path.resolve(import.meta.dirname, '../../..');
const lib = path.join(root, 'functions/lib');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `domain/joiner`, `adapters/dynamodb`, `runtime`: the folder a lib file belongs to. */
const folderOf = (file: string): string => {
  const parts = path.relative(lib, file).split(path.sep);
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
};

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].flatMap(([, spec = '']) => {
    if (spec.startsWith('#lib/')) return [path.join(lib, spec.slice(5).replace(/(\.ts)?$/, '.ts'))];
    if (spec.startsWith('.')) return [path.resolve(path.dirname(file), spec)];
    return [];
  });
}

const edges = new Map<string, Set<string>>();
for (const file of tsFiles(lib)) {
  const from = folderOf(file);
  for (const target of importsOf(file)) {
    const to = folderOf(target);
    if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
}

/** Folders reachable from `start` (not counting itself unless a path leads back). */
function reachable(start: string, within: (folder: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const todo = [...(edges.get(start) ?? [])].filter(within);
  while (todo.length > 0) {
    const next = todo.pop() ?? '';
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...[...(edges.get(next) ?? [])].filter(within));
  }
  return seen;
}

const domainFolders = [...edges.keys()].filter((folder) => folder.startsWith('domain/'));

describe('functions/lib layers', () => {
  it('reads a graph of real size (the check below is not vacuous)', () => {
    expect(domainFolders.length).toBeGreaterThan(10);
    expect(edges.get('domain/leaver')?.has('domain/shared')).toBe(true);
  });

  it('has no cycle between domain folders', () => {
    const cycles = domainFolders.filter((folder) => reachable(folder, (f) => f.startsWith('domain/')).has(folder));
    expect(cycles).toEqual([]);
  });

  it('keeps workflow folders apart: none imports another (shared pieces live in domain/shared, grants, requests)', () => {
    const workflows = ['domain/joiner', 'domain/mover', 'domain/leaver', 'domain/time-bound'];
    const crossings = workflows.flatMap((from) => [...(edges.get(from) ?? [])].filter((to) => workflows.includes(to)).map((to) => `${from} -> ${to}`));
    expect(crossings).toEqual([]);
  });

  it('lets nothing below domain/ depend on runtime/ or http/', () => {
    const offenders = domainFolders.filter((folder) => [...(edges.get(folder) ?? [])].some((to) => to === 'runtime' || to.startsWith('http')));
    expect(offenders).toEqual([]);
  });
});
