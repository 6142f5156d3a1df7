/** Copies of the example projects, each changed by a few edits, removed after the file's tests; templates from text. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deploymentOf } from '../../src/deploy/cloudformation';
import type { Deployment } from '../../src/deploy/model';
import { parseTemplate } from '../../src/deploy/template';

export type Edits = Record<string, (text: string) => string>;

/** Applies `edits` (file → new text from old) inside `dir`; an edit that changes nothing fails, so a stale one cannot pass unnoticed. */
export function applyEdits(dir: string, edits: Edits): void {
  for (const [file, change] of Object.entries(edits)) {
    const at = path.join(dir, file);
    const before = readFileSync(at, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    writeFileSync(at, after);
  }
}

/** Returns a function that copies `project` to a temporary folder and applies edits; copies go in afterAll. */
export function copier(project: string): (edits: Edits) => string {
  const copies: string[] = [];
  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });
  return (edits) => {
    const dir = mkdtempSync(path.join(tmpdir(), `lc-${path.basename(project)}-`));
    copies.push(dir);
    cpSync(project, dir, { recursive: true });
    applyEdits(dir, edits);
    return dir;
  };
}

/**
 * The deployment a SAM or CloudFormation template's text describes, its code resolved from
 * test/fixtures/sandbox (whose handler files exist).
 */
export function deploymentFromText(yaml: string): Deployment {
  const file = path.resolve(__dirname, '../fixtures/sandbox/template.yaml');
  return deploymentOf(file, parseTemplate(yaml, file));
}
