/**
 * Build step: writes the OpenAPI 3.0 and 3.1 schema validators as standalone code next to validate.js
 * (`node dist/document/precompile.js [outDir]`), so no process compiles the OpenAPI schema.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import standaloneCode from 'ajv/dist/standalone';
import { openApiSchemaCompiler, precompiledFile } from './validate';

/** Writes both validators into `dir`; returns the files written. */
export function writeOpenApiValidators(dir: string): string[] {
  const ids: Record<string, string> = {};
  const files = (['3.0', '3.1'] as const).map((version) => {
    const { ajv, schema } = openApiSchemaCompiler(version, true);
    const file = path.join(dir, precompiledFile(version));
    const code = standaloneCode(ajv, ajv.compile(schema));
    writeFileSync(file, code);
    // What the cache of passed documents (cache.ts) keys on: a changed validator forgets every pass.
    ids[version] = createHash('sha256').update(code).digest('hex').slice(0, 32);
    return file;
  });
  const idFile = path.join(dir, 'openapi-validators.json');
  writeFileSync(idFile, `${JSON.stringify(ids)}\n`);
  return [...files, idFile];
}

if (require.main === module) {
  for (const file of writeOpenApiValidators(process.argv[2] ?? __dirname)) process.stdout.write(`wrote ${file}\n`);
}
