import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Keeps the design easy to see: workflows stay pure, libraries import each other only through
 * their public aliases, nothing reaches two folders up, and library dependencies form no cycle.
 */
const ROOT = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g)].map((m) => m[1]);
}

const production = ['apps', 'libs', 'workflows'].flatMap((d) => sources(join(ROOT, d))).filter((f) => !/\.(spec|e2e-spec)\.ts$/.test(f));

describe('architecture', () => {
  it('finds the source files it checks', () => {
    expect(production.length).toBeGreaterThan(40);
  });

  it('keeps workflows free of Nest, TypeORM, database and network code', () => {
    const offenders = sources(join(ROOT, 'workflows')).flatMap((file) =>
      imports(file)
        .filter((m) => /^(@nestjs\/|typeorm|pg$|ioredis|bullmq|nodemailer|node:(fs|net|http|child_process))/.test(m) || m.startsWith('@cc/'))
        .map((m) => `${relative(ROOT, file)} imports ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no deep relative imports (two or more folders up)', () => {
    const offenders = production.flatMap((file) =>
      imports(file)
        .filter((m) => m.startsWith('../../'))
        .map((m) => `${relative(ROOT, file)} imports ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no cycles between libraries', () => {
    const graph = new Map<string, Set<string>>();
    for (const file of production.filter((f) => relative(ROOT, f).startsWith('libs/'))) {
      const lib = relative(ROOT, file).split('/')[1];
      const deps = graph.get(lib) ?? new Set<string>();
      for (const m of imports(file)) if (m.startsWith('@cc/') && m !== `@cc/${lib}`) deps.add(m.slice(4).split('/')[0]);
      graph.set(lib, deps);
    }
    // The check must see real edges, or it proves nothing.
    expect(graph.get('cases')).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect([...(graph.get('cases') ?? [])]).toEqual(expect.arrayContaining(['identity', 'workflows', 'common']));
    const cycles: string[] = [];
    const visit = (lib: string, path: string[]) => {
      if (path.includes(lib)) return cycles.push([...path.slice(path.indexOf(lib)), lib].join(' -> '));
      for (const dep of graph.get(lib) ?? []) visit(dep, [...path, lib]);
    };
    for (const lib of graph.keys()) visit(lib, []);
    expect(cycles).toEqual([]);
  });
});
