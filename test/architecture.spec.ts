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

  // A global module hides who depends on it (and the cycles that made it global); modules import what they use.
  it('has no global Nest modules (global: true, or @Global() beyond the configuration)', () => {
    const modules = production.filter((f) => /\.module\.ts$/.test(f) || /@Module\(/.test(readFileSync(f, 'utf8')));
    expect(modules.length).toBeGreaterThan(10);
    // Configuration is read by nearly every provider, is one immutable value, and has no dependencies of its own.
    const allowedGlobal = ['libs/config/src/config.module.ts'];
    const offenders = modules.flatMap((file) => {
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const found = [...(/\bglobal\s*:\s*true\b/.test(text) ? ['global: true'] : []), ...(/@Global\(\)/.test(text) ? ['@Global()'] : [])];
      const allowed = allowedGlobal.includes(relative(ROOT, file)) ? ['@Global()'] : [];
      return found.filter((how) => !allowed.includes(how)).map((how) => `${relative(ROOT, file)} (${how})`);
    });
    expect(offenders).toEqual([]);
  });

  // Two providers of one class are two instances, each with its own state and dependencies: import the module that has it.
  it('provides each class from one module only', () => {
    /** The entries of the bracketed list that starts at `open`, split at top-level commas. */
    const entriesFrom = (text: string, open: number): string[] => {
      const entries: string[] = [];
      let depth = 0;
      let start = open + 1;
      for (let i = open; i < text.length; i++) {
        const ch = text[i];
        if ('([{'.includes(ch)) depth++;
        else if (')]}'.includes(ch) && --depth === 0) return [...entries, text.slice(start, i)].map((e) => e.trim()).filter(Boolean);
        else if (ch === ',' && depth === 1) {
          entries.push(text.slice(start, i));
          start = i + 1;
        }
      }
      throw new Error('unclosed providers list');
    };
    /** A class name (`Foo`) or a provider object's token (`{ provide: Foo, ... }`); spreads and string or symbol tokens are not classes. */
    const classOf = (entry: string): string | undefined => (/^[A-Z]\w*$/.exec(entry) ?? /^\{\s*provide\s*:\s*([A-Z]\w*)\b/.exec(entry))?.slice(-1)[0];
    const providedBy = new Map<string, string[]>();
    for (const file of production.filter((f) => /\.module\.ts$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const list of text.matchAll(/\bproviders\s*:\s*\[/g)) {
        const open = (list.index ?? 0) + list[0].length - 1;
        const before = text.slice(0, open);
        // The module is the class after its @Module({...}), or, for a static register(), the class it is in.
        const decorated = before.lastIndexOf('@Module(') > before.lastIndexOf('class ');
        const owner = decorated ? /class\s+(\w+)/.exec(text.slice(open))?.[1] : [...before.matchAll(/class\s+(\w+)/g)].pop()?.[1];
        const module = `${relative(ROOT, file)}:${owner}`;
        for (const name of entriesFrom(text, open).map(classOf)) if (name) providedBy.set(name, [...(providedBy.get(name) ?? []), module]);
      }
    }
    // The scan must see the real lists, or it proves nothing.
    expect(providedBy.get('CaseAccess')).toEqual(['libs/cases/src/cases-core.module.ts:CasesCoreModule']);
    expect(providedBy.get('SendCaseEvent')).toEqual(['libs/cases/src/cases.module.ts:CasesModule']);
    expect(providedBy.get('EvidenceStorage')).toEqual(['libs/evidence/src/evidence.module.ts:EvidenceModule']);
    expect(providedBy.get('StatsRefreshLoop')).toEqual(['libs/stats/src/stats.module.ts:StatsWorkerModule']);
    const twice = [...providedBy].filter(([, modules]) => modules.length > 1).map(([name, modules]) => `${name}: ${modules.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('runs no SQL in a controller or in the pages (it belongs in the owning library’s query and store classes)', () => {
    const checked = production.filter((f) => f.endsWith('.controller.ts') || relative(ROOT, f).startsWith('libs/web/src/'));
    // The check must look at real files, or it proves nothing.
    expect(checked.filter((f) => f.endsWith('.controller.ts')).length).toBeGreaterThan(20);
    expect(checked.filter((f) => relative(ROOT, f).startsWith('libs/web/src/')).length).toBeGreaterThan(20);
    const offenders = checked.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const found: string[] = [];
      if (/import\s+(?:type\s+)?\{[^}]*\bDataSource\b[^}]*\}\s+from\s+'typeorm'/.test(text) || /@InjectDataSource\b/.test(text)) found.push('DataSource');
      if (/\.query\s*[<(]/.test(text)) found.push('.query(');
      // Any mention of the raw SQL runners, whatever their type arguments look like.
      for (const name of text.match(/\b(queryRows|runPrepared|runSql)\b/g) ?? []) found.push(name);
      return [...new Set(found)].map((what) => `${relative(ROOT, file)} uses ${what}`);
    });
    expect(offenders).toEqual([]);
  });
});
