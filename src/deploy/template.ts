/**
 * Reads a CloudFormation / SAM template (YAML with the short-form intrinsic tags, or JSON) into plain
 * JSON with every intrinsic in its long form (`!Ref X` → `{ Ref: 'X' }`), with js-yaml's own types.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { ContractError } from '../errors';

/** The short-form tags and the long form each stands for. */
const FUNCTIONS = ['Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'And', 'Or', 'Select', 'Split', 'Sub', 'ToJsonString', 'Transform'];

function long(tag: string): string {
  return tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`;
}

const TYPES = ['Ref', 'Condition', ...FUNCTIONS].flatMap((tag) =>
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) =>
      new yaml.Type(`!${tag}`, {
        kind,
        // `!GetAtt Res.Attr` is the short form of `Fn::GetAtt: [Res, Attr]`.
        construct: (data: unknown) => ({ [long(tag)]: tag === 'GetAtt' && typeof data === 'string' ? splitGetAtt(data) : data }),
      }),
  ),
);

function splitGetAtt(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

/** js-yaml's default schema plus CloudFormation's tags (internal: its type is js-yaml's, which consumers need not install). */
const CLOUDFORMATION_SCHEMA = yaml.DEFAULT_SCHEMA.extend(TYPES);

export type TemplateObject = Record<string, unknown>;

/** Parses a template's text; a text that is neither JSON nor YAML is an error naming file, line and column. */
export function parseTemplate(text: string, file: string): TemplateObject {
  let value: unknown;
  const trimmed = text.trimStart();
  try {
    value = trimmed.startsWith('{') ? JSON.parse(text) : yaml.load(text, { schema: CLOUDFORMATION_SCHEMA, filename: file });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const where = mark ? `:${mark.line + 1}:${mark.column + 1}` : '';
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}${where}: the template is neither valid YAML nor JSON: ${reason}`, { file, ...(mark ? { line: mark.line + 1, column: mark.column + 1 } : {}) }, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}: a template is a mapping with Resources, got ${Array.isArray(value) ? 'a list' : String(value)}`, { file });
  }
  return value as TemplateObject;
}

/** Reads and parses a template file. */
export function readTemplate(file: string): TemplateObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ContractError('ERR_CONTRACT_TEMPLATE', `cannot read the template ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  return parseTemplate(text, file);
}
