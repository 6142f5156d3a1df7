/**
 * Loading a contract: read (YAML or JSON, several files), bundle external `$ref`s into one document
 * with internal references, validate it against the OpenAPI / Swagger schema, convert its schemas for
 * ajv and build the operation model. Remote references are refused unless allowed.
 */
import type SwaggerParserClass from '@apidevtools/swagger-parser';
import type * as YamlModule from 'js-yaml';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { ContractError, describeThrown } from '../errors';
import { buildModel, type ContractModel } from './model';
import { getAt, isObject, pointer, type JsonObject } from './pointer';
import { convertDocument, type OpenApiVersion } from './schema';
import { collectRefs, danglingRefs, hasExternalRefs, openApiSchemaErrors, refLoops, type RefList } from './validate';

// Loaded on first use: a one-file 3.x JSON document needs neither, and each module costs start-up time
// in every Jest worker.
function swaggerParser(): typeof SwaggerParserClass {
  return (require('@apidevtools/swagger-parser') as { default: typeof SwaggerParserClass }).default;
}
function yamlParse(text: string, filename: string): unknown {
  const yaml = require('js-yaml') as typeof YamlModule;
  return yaml.load(text, { schema: yaml.JSON_SCHEMA, filename });
}

export interface LoadOptions {
  /**
   * How messages and reports name a document given as an object (default `<object>`): where it came
   * from, e.g. `template.yaml#/Resources/Api/Properties/DefinitionBody`.
   */
  name?: string;
  /** Allow `$ref`s to `http(s)://` URLs (fetched over the network). Default: false. */
  allowRemoteRefs?: boolean;
  /** Validate the document against the OpenAPI / Swagger schema. Default: true. */
  validate?: boolean;
  /**
   * Folders besides the document's own that `$ref`s may read files from. By default a `$ref` to a file
   * outside the document's folder (`../../secrets.yaml`, `/etc/passwd`) is refused: loading a contract
   * reads nothing the user did not put beside it.
   */
  allowRefsFrom?: string[];
}

export interface LoadedDocument {
  /** Absolute path of the entry file, or `<object>` for an in-memory document. */
  file: string;
  version: OpenApiVersion;
  /** The bundled document: external files inlined, every `$ref` internal. */
  document: JsonObject;
  /** The same document with every schema converted for ajv. */
  schemaDocument: JsonObject;
  model: ContractModel;
}

function versionOf(doc: JsonObject, file: string): OpenApiVersion {
  if (doc.swagger === '2.0') return '2.0';
  if (typeof doc.openapi === 'string') {
    if (doc.openapi.startsWith('3.0')) return '3.0';
    if (doc.openapi.startsWith('3.1')) return '3.1';
  }
  const found = doc.openapi ?? doc.swagger;
  throw new ContractError(
    'ERR_CONTRACT_SPEC_INVALID',
    `${file}: unsupported document version ${found === undefined ? '(no "openapi" or "swagger" field)' : JSON.stringify(found)}; lambda-contract reads Swagger 2.0 and OpenAPI 3.0 / 3.1`,
    { file, pointer: '/openapi' },
  );
}

interface AjvLikeDetail {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns swagger-parser's validation error into one line per problem: `file#/pointer: reason`. */
function describeInvalid(error: Error & { details?: AjvLikeDetail[] }, file: string): ContractError {
  const details = Array.isArray(error.details) ? error.details : [];
  const problems = details
    .filter((d) => !/must match exactly one schema in oneOf|must match a schema in anyOf|must have required property '\$ref'/.test(d.message ?? ''))
    .slice(0, 20)
    .map((d) => {
      const name = d.params?.additionalProperty ?? d.params?.unevaluatedProperty;
      const extra = typeof name === 'string' ? ` (${JSON.stringify(name)})` : '';
      return { pointer: d.instancePath || '/', reason: `${d.message ?? 'invalid'}${extra}` };
    });
  const lines = problems.length > 0 ? problems.map((p) => `  ${file}#${p.pointer}: ${p.reason}`) : [`  ${file}: ${error.message.split('\n')[0]}`];
  return new ContractError('ERR_CONTRACT_SPEC_INVALID', `invalid OpenAPI document ${file}:\n${lines.join('\n')}`, {
    file,
    pointer: problems[0]?.pointer ?? '/',
    problems,
  }, { cause: error });
}

/** The file a `$ref` URL names (a path or a file: URL, percent-encoded as json-schema-ref-parser passes it). */
function refFilePath(url: string): string {
  try {
    return /^file:/i.test(url) ? fileURLToPath(url) : path.resolve(decodeURI(url));
  } catch {
    return path.resolve(url);
  }
}

/** The real path (symlinks followed), or the path itself when it does not exist. */
function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function isWithin(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Loads, bundles, validates and models an OpenAPI document. */
export async function loadDocument(spec: string | JsonObject, options: LoadOptions = {}): Promise<LoadedDocument> {
  const file = typeof spec === 'string' ? path.resolve(spec) : (options.name ?? '<object>');
  const refused: string[] = [];
  const outside: string[] = [];
  const roots = [typeof spec === 'string' ? path.dirname(file) : process.cwd(), ...(options.allowRefsFrom ?? []).map((d) => path.resolve(d))].map(realOrSelf);
  const parserOptions = {
    resolve: {
      external: true,
      file: {
        order: 100,
        canRead: (ref: { url: string }) => !/^[a-z][a-z0-9+.-]+:\/\//i.test(ref.url) || /^file:/i.test(ref.url),
        read(ref: { url: string }): Promise<Buffer> {
          const target = refFilePath(ref.url);
          const real = realOrSelf(target);
          if (!roots.some((root) => isWithin(real, root))) {
            outside.push(target);
            return Promise.reject(new Error(`$ref to a file outside the document's folder refused: ${target}`));
          }
          return readFile(target);
        },
      },
      http: options.allowRemoteRefs
        ? {}
        : {
            order: 0,
            canRead: /^https?:\/\//i,
            read(ref: { url: string }): never {
              refused.push(ref.url);
              throw new Error(`remote $ref refused: ${ref.url}`);
            },
          },
    },
  };

  if (typeof spec === 'string') {
    let problem: string | undefined;
    try {
      if (statSync(file).isDirectory()) problem = 'it is a directory';
    } catch (error) {
      problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : describeThrown(error).message;
    }
    if (problem) throw new ContractError('ERR_CONTRACT_SPEC_UNREADABLE', `cannot read OpenAPI document ${file}: ${problem}`, { file });
  } else {
    if (!isObject(spec)) throw new ContractError('ERR_CONTRACT_SPEC_INVALID', `${file}: the document is not an object`, { file, pointer: '/' });
    const deep = tooDeep(spec, file);
    if (deep) throw deep;
    versionOf(spec, file);
  }
  let bundled: JsonObject;
  try {
    const input = typeof spec === 'string' ? file : structuredClone(spec);
    // Most documents are one file with internal references only: bundling would copy them for nothing
    // (it is most of the load time on a 13 MB description). Bundle only when a $ref leaves the file.
    const parsed = (await new (swaggerParser())().parse(input as never, parserOptions as never)) as unknown as JsonObject;
    bundled = hasExternalRefs(parsed) ? ((await new (swaggerParser())().bundle(input as never, parserOptions as never)) as unknown as JsonObject) : parsed;
  } catch (error) {
    if (outside.length > 0) {
      throw new ContractError(
        'ERR_CONTRACT_REF_OUTSIDE',
        `${file}: $ref to a file outside the document's folder refused: ${outside[0]}. Only files under ${roots[0]} are read; name other folders with allowRefsFrom (CLI --allow-refs-from DIR).`,
        { file, ref: outside[0] },
        { cause: error },
      );
    }
    if (refused.length > 0) {
      throw new ContractError(
        'ERR_CONTRACT_REMOTE_REF',
        `${file}: $ref to a remote URL refused: ${refused[0]}. Remote references are off by default; pass allowRemoteRefs: true (CLI --allow-remote-refs) to fetch them.`,
        { file, url: refused[0] },
        { cause: error },
      );
    }
    if (error instanceof RangeError && typeof spec === 'string') {
      // The parser's recursion ran out of stack: find where the document nests too deep.
      const deep = tooDeepFile(file);
      if (deep) throw deep;
    }
    const e = error as Error & { code?: string };
    if (/Unsupported (OpenAPI|Swagger) version|is not a valid (OpenAPI|Swagger)|version number must be a string/i.test(e.message ?? '')) {
      throw new ContractError('ERR_CONTRACT_SPEC_INVALID', `${file}: ${e.message}; lambda-contract reads Swagger 2.0 and OpenAPI 3.0 / 3.1`, { file, pointer: '/openapi' }, { cause: error });
    }
    const reason = (e.message || String(error)).split('\n').slice(0, 6).join('\n');
    throw new ContractError('ERR_CONTRACT_SPEC_UNREADABLE', `cannot read OpenAPI document ${file}: ${reason}`, { file }, { cause: error });
  }
  if (!isObject(bundled)) {
    throw new ContractError('ERR_CONTRACT_SPEC_INVALID', `${file}: the document is not an object`, { file, pointer: '/' });
  }
  const version = versionOf(bundled, file);
  if (version === '2.0' && options.validate !== false) {
    // Swagger 2.0: swagger-parser's schema and spec checks (path parameters, duplicates, body rules).
    try {
      await swaggerParser().validate(structuredClone(bundled) as never, { resolve: { external: false } } as never);
    } catch (error) {
      throw describeInvalid(error as Error, file);
    }
  }
  return finish(bundled, version, file, options);
}

/**
 * Loads a one-file OpenAPI 3.x document synchronously (Jest collects tests synchronously); undefined
 * when the document needs the asynchronous loader (a `$ref` to another file or URL, or Swagger 2.0,
 * whose validation is asynchronous). Errors are the loader's own.
 *
 * @example
 * const loaded = loadDocumentSync('openapi.yaml') ?? (await loadDocument('openapi.yaml'));
 */
export function loadDocumentSync(specFile: string, options: LoadOptions = {}): LoadedDocument | undefined {
  const file = path.resolve(specFile);
  let parsed: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    parsed = /\.json$/i.test(file) ? JSON.parse(text) : yamlParse(text, file);
  } catch (error) {
    throw new ContractError('ERR_CONTRACT_SPEC_UNREADABLE', `cannot read OpenAPI document ${file}: ${describeThrown(error).message.split('\n').slice(0, 6).join('\n')}`, { file }, { cause: error });
  }
  if (!isObject(parsed)) {
    throw new ContractError('ERR_CONTRACT_SPEC_INVALID', `${file}: the document is not an object`, { file, pointer: '/' });
  }
  const refs = collectRefs(parsed);
  if (hasExternalRefs(parsed, refs) || parsed.swagger !== undefined) return undefined;
  return finish(parsed, versionOf(parsed, file), file, options, refs);
}

/**
 * How deep a document may nest (objects and arrays). Real descriptions stay under 30 levels (GitHub's:
 * 21); a document nested thousands deep — hostile or generated in error — would overflow the stack of
 * every recursive walk after it (ours, ajv's, the samplers'), so it is refused up front with the
 * pointer where it goes too deep.
 */
export const MAX_NESTING = 200;

function tooDeep(root: JsonObject, file: string): ContractError | undefined {
  const trail = deeper(root, 1);
  if (!trail) return undefined;
  const at = pointer('', ...trail);
  const shown = trail.length > 12 ? `${pointer('', ...trail.slice(0, 10))}/…(${trail.length - 10} more levels)` : at;
  return new ContractError('ERR_CONTRACT_SPEC_UNSUPPORTED', `${file}#${shown}: the document nests more than ${MAX_NESTING} levels deep; lambda-contract reads documents up to ${MAX_NESTING} levels`, { file, pointer: at });
}

function tooDeepFile(file: string): ContractError | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = /\.json$/i.test(file) ? JSON.parse(text) : yamlParse(text, file);
    return isObject(parsed) ? tooDeep(parsed, file) : undefined;
  } catch {
    return undefined;
  }
}

/** The path to the first value nested deeper than MAX_NESTING, or undefined (recursion bounded by it). */
function deeper(node: object, depth: number): string[] | undefined {
  if (depth > MAX_NESTING) return [];
  for (const k in node) {
    const v = (node as Record<string, unknown>)[k];
    if (typeof v !== 'object' || v === null) continue;
    const below = deeper(v, depth + 1);
    if (below) {
      below.unshift(k);
      return below;
    }
  }
  return undefined;
}

/** What every load ends with: references checked, the 3.x document validated, schemas converted, the model built. */
function finish(bundled: JsonObject, version: OpenApiVersion, file: string, options: LoadOptions, known?: RefList): LoadedDocument {
  const deep = tooDeep(bundled, file);
  if (deep) throw deep;
  const refs = known ?? collectRefs(bundled);
  const dangling = danglingRefs(bundled, refs).map((d) => ({ pointer: d.at, ref: d.ref, reason: `$ref ${JSON.stringify(d.ref)} points to nothing in the document` }));
  const loops = refLoops(bundled, version === '3.1', refs).map((l) => {
    const onlyRefs = [l.at, ...l.chain.slice(0, -1)].every((ptr) => { const n = getAt(bundled, ptr); return isObject(n) && typeof n.$ref === 'string' && !['allOf', 'anyOf', 'oneOf', 'not', 'if'].some((k) => k in n); });
    const reason = onlyRefs
      ? `$ref chain ${[l.at, ...l.chain].join(' → ')} goes round without reaching a schema`
      : `schemas ${[l.at, ...l.chain].join(' → ')} apply one another to the same value in a loop (through $ref, allOf, anyOf, oneOf or not): no value can ever be checked against them`;
    return { pointer: l.at, ref: `#${l.chain[0] ?? ''}`, reason };
  });
  const broken = [...dangling, ...loops];
  if (broken.length > 0) {
    const lines = broken.map((b) => `  ${file}#${b.pointer}: ${b.reason}`);
    throw new ContractError('ERR_CONTRACT_SPEC_INVALID', `invalid OpenAPI document ${file}:\n${lines.join('\n')}`, { file, pointer: broken[0]?.pointer ?? '/', ref: broken[0]?.ref, problems: broken.map((b) => ({ pointer: b.pointer, reason: b.reason })) });
  }
  if (options.validate !== false && version !== '2.0') {
    const errors = openApiSchemaErrors(bundled, version);
    if (errors.length > 0) throw describeInvalid(Object.assign(new Error('the document does not match the OpenAPI schema'), { details: errors }), file);
  }

  const schemaDocument = convertDocument(bundled, version);
  const model = buildModel(bundled, version);
  return { file, version, document: bundled, schemaDocument, model };
}
