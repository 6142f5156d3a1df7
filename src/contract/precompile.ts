/**
 * Build step: writes the OpenAPI 3.0 and 3.1 schema validators as standalone code next to
 * validate.js, so loading a document does not compile the OpenAPI schema in every process.
 *
 *   node dist/contract/precompile.js [outDir]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import standaloneCode from 'ajv/dist/standalone';
import { openApiSchemaCompiler, precompiledFile } from './validate';

/** Writes both validators into `dir`; returns the files written. */
export function writeOpenApiValidators(dir: string): string[] {
  return (['3.0', '3.1'] as const).map((version) => {
    const { ajv, schema } = openApiSchemaCompiler(version, true);
    const file = path.join(dir, precompiledFile(version));
    writeFileSync(file, standaloneCode(ajv, ajv.compile(schema)));
    return file;
  });
}

if (require.main === module) {
  for (const file of writeOpenApiValidators(process.argv[2] ?? __dirname)) process.stdout.write(`wrote ${file}\n`);
}
