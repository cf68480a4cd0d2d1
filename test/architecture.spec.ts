import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Keeps the design easy to see: workflows stay pure, libraries import each other only through
 * their public aliases (never past a library's index), nothing reaches two folders up, library
 * dependencies form no cycle, no module is global, and no controller or page touches the database.
 * Each check first runs on a small made-up example, to prove it can fail.
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
  return importsIn(readFileSync(file, 'utf8'));
}

const production = ['apps', 'libs', 'workflows'].flatMap((d) => sources(join(ROOT, d))).filter((f) => !/\.(spec|e2e-spec)\.ts$/.test(f));

/** A source file as the checks below see it: its path from the root and its text. */
interface Source {
  path: string;
  text: string;
}

const productionSources: Source[] = production.map((file) => ({ path: relative(ROOT, file), text: readFileSync(file, 'utf8') }));

function importsIn(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g)].map((m) => m[1]);
}

/** Imports that reach past a library's index (`@cc/<lib>/anything`): they couple to its insides. */
function deepLibraryImports(files: readonly Source[]): string[] {
  return files.flatMap((file) => importsIn(file.text).filter((m) => /^@cc\/[^/]+\/./.test(m)).map((m) => `${file.path} imports ${m}`));
}

/** Which library (or workflows) imports which, from the `@cc/<name>` imports of files under libs/<name>/ and workflows/. */
function libraryGraph(files: readonly Source[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const lib = file.path.startsWith('libs/') ? file.path.split('/')[1] : file.path.startsWith('workflows/') ? 'workflows' : undefined;
    if (!lib) continue;
    const deps = graph.get(lib) ?? new Set<string>();
    for (const m of importsIn(file.text)) {
      const target = /^@cc\/([^/]+)/.exec(m)?.[1];
      if (target && target !== lib) deps.add(target);
    }
    graph.set(lib, deps);
  }
  return graph;
}

/** Every elementary cycle of the graph once, each written from its alphabetically first library: `a -> b -> a`. */
function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles = new Set<string>();
  const visit = (lib: string, path: string[]) => {
    const at = path.indexOf(lib);
    if (at >= 0) {
      const loop = path.slice(at);
      const first = loop.indexOf([...loop].sort()[0]);
      const rotated = [...loop.slice(first), ...loop.slice(0, first)];
      cycles.add([...rotated, rotated[0]].join(' -> '));
      return;
    }
    for (const dep of graph.get(lib) ?? []) visit(dep, [...path, lib]);
  };
  for (const lib of graph.keys()) visit(lib, []);
  return [...cycles].sort();
}

/** Global Nest modules (`global: true` or `@Global()`), except the ones allowed by path. */
function globalModules(files: readonly Source[], allowedGlobal: readonly string[]): string[] {
  return files.flatMap((file) => {
    const text = file.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const found = [...(/\bglobal\s*:\s*true\b/.test(text) ? ['global: true'] : []), ...(/@Global\(\)/.test(text) ? ['@Global()'] : [])];
    const allowed = allowedGlobal.includes(file.path) ? ['@Global()'] : [];
    return found.filter((how) => !allowed.includes(how)).map((how) => `${file.path} (${how})`);
  });
}

/** Controllers and pages that touch the database themselves: a DataSource or EntityManager, a raw SQL runner, or `.query(`. */
function databaseAccessIn(files: readonly Source[]): string[] {
  return files.flatMap((file) => {
    const text = file.text;
    const found: string[] = [];
    const fromTypeorm = [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'typeorm'/g)].map((m) => m[1]).join(',');
    for (const name of ['DataSource', 'EntityManager', 'QueryRunner']) if (new RegExp(`\\b${name}\\b`).test(fromTypeorm)) found.push(name);
    for (const name of text.match(/@Inject(?:DataSource|EntityManager)\b/g) ?? []) found.push(name);
    if (/\.query\s*[<(]/.test(text)) found.push('.query(');
    // Any mention of the raw SQL runners, whatever their type arguments look like.
    for (const name of text.match(/\b(queryRows|runPrepared|runSql)\b/g) ?? []) found.push(name);
    return [...new Set(found)].map((what) => `${file.path} uses ${what}`);
  });
}

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

  it('has no deep imports into a library (past its index)', () => {
    // The check must be able to fail, or it proves nothing.
    expect(deepLibraryImports([{ path: 'libs/web/src/x.ts', text: "import { a } from '@cc/cases/src/a';\nimport { b } from '@cc/cases';\n" }])).toEqual([
      'libs/web/src/x.ts imports @cc/cases/src/a',
    ]);
    expect(deepLibraryImports(productionSources)).toEqual([]);
  });

  it('has no cycles between libraries', () => {
    // The check must be able to fail, or it proves nothing: a two-step and a three-step cycle, each named once.
    const example = libraryGraph([
      { path: 'libs/a/src/index.ts', text: "import { b } from '@cc/b';\n" },
      { path: 'libs/b/src/index.ts', text: "export { a } from '@cc/a';\nimport { c } from '@cc/c';\n" },
      { path: 'libs/c/src/c.ts', text: "import { a } from '@cc/a/src/deep';\nimport { w } from '@cc/workflows';\n" },
      { path: 'workflows/index.ts', text: '' },
    ]);
    expect(cyclesOf(example)).toEqual(['a -> b -> a', 'a -> b -> c -> a']);
    expect(cyclesOf(new Map([['a', new Set(['b'])], ['b', new Set<string>()]]))).toEqual([]);

    const graph = libraryGraph(productionSources);
    // The graph must hold the real edges, or it proves nothing.
    expect(graph.size).toBeGreaterThan(10);
    expect([...(graph.get('cases') ?? [])]).toEqual(expect.arrayContaining(['identity', 'workflows', 'common']));
    expect(cyclesOf(graph)).toEqual([]);
  });

  // A global module hides who depends on it (and the cycles that made it global); modules import what they use.
  it('has no global Nest modules (global: true, or @Global() beyond the configuration)', () => {
    const modules = production.filter((f) => /\.module\.ts$/.test(f) || /@Module\(/.test(readFileSync(f, 'utf8')));
    expect(modules.length).toBeGreaterThan(10);
    // Configuration is read by nearly every provider, is one immutable value, and has no dependencies of its own.
    const allowedGlobal = ['libs/config/src/config.module.ts'];
    // The check must be able to fail, or it proves nothing.
    const example = [
      { path: 'libs/a/src/a.module.ts', text: '@Global()\n@Module({})\nexport class A {}' },
      { path: 'libs/b/src/b.module.ts', text: 'return { module: B, global: true };' },
      { path: 'libs/c/src/c.module.ts', text: '// not @Global() any more\n@Module({})\nexport class C {}' },
    ];
    expect(globalModules(example, [])).toEqual(['libs/a/src/a.module.ts (@Global())', 'libs/b/src/b.module.ts (global: true)']);
    expect(globalModules(productionSources.filter((s) => modules.includes(join(ROOT, s.path))), allowedGlobal)).toEqual([]);
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
    // The check must be able to fail, or it proves nothing.
    const example = [
      { path: 'libs/a/src/a.controller.ts', text: "import { DataSource, In } from 'typeorm';\nconst rows = await this.db.query('SELECT 1');" },
      { path: 'libs/web/src/p/p-page.ts', text: "import type { EntityManager } from 'typeorm';\nimport { runSql, sql } from '@cc/persistence';\n@InjectEntityManager() m" },
      { path: 'libs/web/src/q/q-page.ts', text: "import { In } from 'typeorm';\nconst q = request.query;" },
    ];
    expect(databaseAccessIn(example)).toEqual([
      'libs/a/src/a.controller.ts uses DataSource',
      'libs/a/src/a.controller.ts uses .query(',
      'libs/web/src/p/p-page.ts uses EntityManager',
      'libs/web/src/p/p-page.ts uses @InjectEntityManager',
      'libs/web/src/p/p-page.ts uses runSql',
    ]);
    const offenders = databaseAccessIn(productionSources.filter((s) => checked.includes(join(ROOT, s.path))));
    expect(offenders).toEqual([]);
  });
});
