/**
 * Secrets Manager and SSM Parameter Store, answered from values the user gives (`--aws-values FILE`):
 * `{ "secrets": { "name": "text" | {json} }, "parameters": { "/name": "text" | ["a", "b"] } }`. The
 * calls answered are the reads handlers make (GetSecretValue; GetParameter, GetParameters,
 * GetParametersByPath), in the JSON protocol both SDKs speak, with AWS's errors for a name not given.
 */
import { ContractError } from '../errors';

/** The values a run's Secrets Manager and Parameter Store answer. */
export interface AwsValues {
  /** Where they were read from, for errors (`values.json`). */
  file: string;
  /** By secret name: a string (SecretString as given) or JSON (SecretString is its text). */
  secrets: Record<string, unknown>;
  /** By parameter name: a string, or a list (a StringList, joined by commas). */
  parameters: Record<string, string | string[]>;
}

/** Checks the file's shape before anything runs; throws naming the pointer. */
export function checkAwsValues(file: string, value: unknown): AwsValues {
  const fail = (pointer: string, why: string): never => {
    throw new ContractError('ERR_CONTRACT_CONFIG', `${file}#${pointer}: ${why}`, { file, pointer });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('', 'expected an object with "secrets" and/or "parameters"');
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (key !== 'secrets' && key !== 'parameters') fail(`/${key}`, 'unknown key; expected "secrets" or "parameters"');
  const secrets = v.secrets ?? {};
  const parameters = v.parameters ?? {};
  if (secrets === null || typeof secrets !== 'object' || Array.isArray(secrets)) fail('/secrets', 'expected an object of secrets by name');
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) fail('/parameters', 'expected an object of parameters by name');
  for (const [name, p] of Object.entries(parameters as Record<string, unknown>)) {
    const ok = typeof p === 'string' || (Array.isArray(p) && p.every((x) => typeof x === 'string'));
    if (!ok) fail(`/parameters/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'a parameter is a string, or a list of strings (a StringList)');
  }
  return { file, secrets: secrets as Record<string, unknown>, parameters: parameters as Record<string, string | string[]> };
}

/** An answer in AWS's JSON protocol. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  contentType?: string;
}

const JSON_11 = 'application/x-amz-json-1.1';
const ACCOUNT = '123456789012';

function parsed(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text || '{}') as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function error(type: string, message: string): JsonAnswer {
  return { status: 400, body: { __type: type, message, Message: message }, contentType: JSON_11 };
}

/** `my-secret`, `arn:aws:secretsmanager:us-east-1:123:secret:my-secret-AbCdEf` → the name given, if any. */
function secretNamed(values: AwsValues, id: string): string | undefined {
  if (Object.hasOwn(values.secrets, id)) return id;
  const m = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+)$/.exec(id);
  if (!m?.[1]) return undefined;
  const name = m[1];
  if (Object.hasOwn(values.secrets, name)) return name;
  const bare = name.replace(/-[A-Za-z0-9]{6}$/, ''); // a full ARN ends in six random characters
  return Object.hasOwn(values.secrets, bare) ? bare : undefined;
}

/** A Secrets Manager call: GetSecretValue answered, any other operation refused in its words. */
export function secretCall(values: AwsValues, target: string, body: string, served: { secrets: number }): JsonAnswer {
  const operation = target.replace(/^.*\./, '');
  if (operation !== 'GetSecretValue') return error('UnsupportedOperation', `lambda-contract's Secrets Manager answers GetSecretValue only, not ${operation || 'this call'}`);
  const id = String(parsed(body).SecretId ?? '');
  const name = secretNamed(values, id);
  if (name === undefined) return error('ResourceNotFoundException', `Secrets Manager can't find the specified secret. (${id} is not in ${values.file})`);
  served.secrets++;
  const value = values.secrets[name];
  return {
    status: 200, contentType: JSON_11,
    body: {
      ARN: `arn:aws:secretsmanager:${process.env.AWS_REGION ?? 'us-east-1'}:${ACCOUNT}:secret:${name}-LcLcLc`, Name: name,
      SecretString: typeof value === 'string' ? value : JSON.stringify(value),
      VersionId: 'lambda-contract-0000-0000-000000000001', VersionStages: ['AWSCURRENT'], CreatedDate: 1767225600,
    },
  };
}

function parameterRecord(values: AwsValues, name: string): Record<string, unknown> {
  const value = values.parameters[name] as string | string[];
  return {
    Name: name, Type: Array.isArray(value) ? 'StringList' : 'String', Value: Array.isArray(value) ? value.join(',') : value, Version: 1,
    LastModifiedDate: 1767225600, ARN: `arn:aws:ssm:${process.env.AWS_REGION ?? 'us-east-1'}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`, DataType: 'text',
  };
}

/** A Parameter Store call: GetParameter, GetParameters and GetParametersByPath answered. */
export function parameterCall(values: AwsValues, target: string, body: string, served: { parameters: number }): JsonAnswer {
  const operation = target.replace(/^.*\./, '');
  const input = parsed(body);
  const has = (name: string): boolean => Object.hasOwn(values.parameters, name);
  if (operation === 'GetParameter') {
    const name = String(input.Name ?? '').replace(/:\d+$/, '');
    if (!has(name)) return error('ParameterNotFound', `Parameter ${name} not found (it is not in ${values.file})`);
    served.parameters++;
    return { status: 200, contentType: JSON_11, body: { Parameter: parameterRecord(values, name) } };
  }
  if (operation === 'GetParameters') {
    const names = Array.isArray(input.Names) ? input.Names.map(String) : [];
    const found = names.filter(has);
    served.parameters += found.length;
    return { status: 200, contentType: JSON_11, body: { Parameters: found.map((n) => parameterRecord(values, n)), InvalidParameters: names.filter((n) => !has(n)) } };
  }
  if (operation === 'GetParametersByPath') {
    const prefix = String(input.Path ?? '/').replace(/\/?$/, '/');
    const recursive = input.Recursive === true;
    const found = Object.keys(values.parameters).filter((n) => n.startsWith(prefix) && (recursive || !n.slice(prefix.length).includes('/')));
    served.parameters += found.length;
    return { status: 200, contentType: JSON_11, body: { Parameters: found.map((n) => parameterRecord(values, n)) } };
  }
  return error('UnsupportedOperation', `lambda-contract's Parameter Store answers GetParameter, GetParameters and GetParametersByPath only, not ${operation || 'this call'}`);
}
