/**
 * The corpus of real projects (test/corpus): each installed from the npm registry once (its lock file),
 * prepared as its README says (`cdk synth`), then checked as shipped and with one seeded bug, from the
 * CLI. The verdicts are those each project's corpus.json records: the exit code and every finding, as
 * `operationId rule` — a project's own defects included, each explained in its SOURCE.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { CORPUS, installed, projects, verdict, withBug, type CorpusEntry } from './corpus';

describe.each(projects)('%s', (name) => {
  const entry = JSON.parse(readFileSync(path.join(CORPUS, name, 'corpus.json'), 'utf8')) as CorpusEntry;
  let dir: string;
  beforeAll(() => {
    dir = installed(name, entry);
  }, 900_000);

  it('ships its source note, licence and the files the corpus test reads', () => {
    const source = readFileSync(path.join(CORPUS, name, 'SOURCE.md'), 'utf8');
    for (const field of ['Repository:', 'Commit:', 'Folder:', 'Licence:', 'Verdict as shipped', 'Seeded bug']) expect([field, source.includes(field)]).toEqual([field, true]);
  });

  it.each(entry.asShipped.map((v) => [v.args.join(' '), v] as const))('as shipped, `%s` gives its recorded verdict', (_args, expected) => {
    const got = verdict(dir, expected.args);
    expect({ exit: got.exit, findings: got.findings }).toEqual({ exit: expected.exit, findings: expected.findings });
  }, 600_000);

  it(`catches its seeded bug, naming ${entry.bug.findings.join(', ')}`, () => {
    const copy = withBug(dir, entry);
    try {
      const got = verdict(copy, entry.bug.args);
      expect({ exit: got.exit, findings: got.findings }).toEqual({ exit: entry.bug.exit, findings: entry.bug.findings });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 600_000);
});
