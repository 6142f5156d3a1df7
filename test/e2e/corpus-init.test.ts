/**
 * `init` in each project of the corpus, as a user runs it there: the package installed from its packed
 * tarball (with Jest where the project has none, as init advises), `npx lambda-contract init --yes`,
 * then the suite it wrote through the project's own `test:contract` script — whose verdict is the
 * project's under every default check (its corpus.json `suite`): the conforming ones pass, and the ones
 * with real defects fail.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CACHE, CORPUS, projects, ROOT, run, runAll, type CorpusEntry } from './corpus';

const own = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
let tarball = '';
/** `npx lambda-contract`, as a project that installed the package runs it. */
let cli = '';

beforeAll(() => {
  // dist/ is built (npm run test:e2e builds first): packed as it stands, without building again.
  const out = path.join(CACHE, 'packed');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  tarball = path.join(out, name);
  runAll([['npm', 'install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--prefix', path.join(out, 'tool'), tarball]], out);
  cli = path.join(out, 'tool/node_modules/lambda-contract/dist/cli/bin.js');
}, 300_000);

/** The folder init set up: where it wrote lambda-contract.config.json (the project, or a function folder). */
function setUp(dir: string): string | undefined {
  if (existsSync(path.join(dir, 'lambda-contract.config.json'))) return dir;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== 'node_modules' && existsSync(path.join(dir, e.name, 'lambda-contract.config.json'))) return path.join(dir, e.name);
  }
  return undefined;
}

describe.each(projects)('%s', (name) => {
  const entry = JSON.parse(readFileSync(path.join(CORPUS, name, 'corpus.json'), 'utf8')) as CorpusEntry;

  it(`init sets it up, and the suite it writes ${entry.suite.exit === 0 ? 'passes' : 'fails, as the project does'} under plain Jest`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), `lc-corpus-init-${name}-`));
    try {
      // The project as shipped: what we added for the CLI's checks (config, notes) is not there.
      cpSync(path.join(CORPUS, name), dir, { recursive: true, filter: (src) => !['lambda-contract.config.json', 'corpus.json', 'SOURCE.md'].includes(path.basename(src)) });
      // A project without a package.json: init says `npm init -y makes one`.
      if (!existsSync(path.join(dir, 'package.json')) && !readdirSync(dir).some((f) => existsSync(path.join(dir, f, 'package.json')))) runAll([['npm', 'init', '-y']], dir);
      const init = run(process.execPath, [cli, 'init', '--yes'], dir);
      expect([init.code, init.stderr]).toEqual([0, '']);
      const root = setUp(dir) as string;
      expect(root).toBeDefined();
      // What init advises: the package (and Jest, where the project has none) among its devDependencies,
      // installed with the project's own dependencies; then the project built as its README says.
      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string>; dependencies?: Record<string, string> };
      const hasJest = Boolean(pkg.devDependencies?.jest ?? pkg.dependencies?.jest);
      const quiet = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
      // `npm install <package>` runs none of the project's own install scripts (the CDK example's
      // installs its lambdas' dependencies): a plain `npm install` after it does.
      // A Jest older than the package supports: init names the upgrade, and the user runs it.
      const upgrade = /older than the \d+ lambda-contract needs .*: npm i -D (.+)$/m.exec(init.stdout)?.[1]?.split(' ') ?? [];
      runAll([['npm', 'install', '-D', ...quiet, tarball, ...upgrade, ...(hasJest ? [] : [`jest@${own.devDependencies.jest}`])], ['npm', 'install', ...quiet]], root);
      runAll(entry.setup ?? [], dir);
      runAll(entry.prepare ?? [], dir);
      const suite = run('npm', ['run', '--silent', 'test:contract', '--', '--ci'], root);
      expect([suite.code, /Tests: +(\d+ failed, )?\d+ passed, \d+ total/.test(suite.stderr)]).toEqual([entry.suite.exit, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
