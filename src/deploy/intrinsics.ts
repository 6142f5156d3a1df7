/**
 * CloudFormation's intrinsic functions, resolved as far as a template alone allows: parameters (defaults
 * and overrides), pseudo parameters, mappings and conditions; resources stand in as SAM local does.
 */
import { ContractError } from '../errors';

export type Json = unknown;

export interface ResolverInput {
  file: string;
  parameters: Record<string, unknown>;
  overrides: Record<string, string>;
  conditions: Record<string, unknown>;
  mappings: Record<string, unknown>;
  resources: Record<string, unknown>;
  region?: string;
  accountId?: string;
  /** Other stacks' exports (`Outputs.*.Export.Name` → value), for `Fn::ImportValue` (the stacks of one cdk.out). */
  exports?: ReadonlyMap<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Resolves a template's intrinsics; what only a deployment knows becomes a stand-in, with a warning. */
export class Resolver {
  readonly warnings: string[] = [];
  /** Parameters a value needs that have no Default and no override: all named at once by {@link assertComplete}. */
  private readonly missing = new Set<string>();
  private readonly params = new Map<string, unknown>();
  private readonly pseudo: Record<string, unknown>;
  private readonly conditionValues = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  /** Stand-ins already warned about: one warning per resource, not per place that names it. */
  private readonly stoodIn = new Set<string>();

  constructor(private readonly input: ResolverInput) {
    const region = input.region ?? 'us-east-1';
    const accountId = input.accountId ?? '123456789012';
    this.pseudo = {
      'AWS::Region': region, 'AWS::AccountId': accountId, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'lambda-contract', 'AWS::StackId': `arn:aws:cloudformation:${region}:${accountId}:stack/lambda-contract/00000000-0000-0000-0000-000000000000`,
      'AWS::NoValue': undefined, 'AWS::NotificationARNs': [],
    };
    for (const [name, raw] of Object.entries(input.parameters)) {
      const given = input.overrides[name];
      const def = isObject(raw) ? raw.Default : undefined;
      const type = isObject(raw) ? String(raw.Type ?? 'String') : 'String';
      const value = given !== undefined ? given : def;
      if (value === undefined) continue;
      this.params.set(name, type.startsWith('List<') || type === 'CommaDelimitedList' ? (Array.isArray(value) ? value : String(value).split(',').map((s) => s.trim())) : value);
    }
    for (const name of Object.keys(input.overrides)) {
      if (!Object.hasOwn(input.parameters, name)) this.warnings.push(`${input.file}: --parameter-overrides names ${name}, which the template does not declare`);
    }
  }

  /** Whether a resource's `Condition` holds (resources whose condition is false are not deployed). */
  condition(name: string, where: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    if (!Object.hasOwn(this.input.conditions, name)) throw this.error(`${where}: condition ${name} is not defined in Conditions`);
    if (this.evaluating.has(name)) throw this.error(`${where}: condition ${name} refers to itself (${[...this.evaluating, name].join(' → ')})`);
    this.evaluating.add(name);
    try {
      const value = this.truth(this.input.conditions[name], `Conditions.${name}`);
      this.conditionValues.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(name);
    }
  }

  private truth(node: unknown, where: string): boolean {
    if (typeof node === 'boolean') return node;
    if (isObject(node)) {
      if ('Condition' in node) return this.condition(String(node.Condition), where);
      if ('Fn::Equals' in node) {
        const [a, b] = this.list(node['Fn::Equals'], where);
        return String(this.resolve(a, where)) === String(this.resolve(b, where));
      }
      if ('Fn::Not' in node) return !this.truth(this.list(node['Fn::Not'], where)[0], where);
      if ('Fn::And' in node) return this.list(node['Fn::And'], where).every((c) => this.truth(c, where));
      if ('Fn::Or' in node) return this.list(node['Fn::Or'], where).some((c) => this.truth(c, where));
    }
    const resolved = this.resolve(node, where);
    if (resolved === 'true' || resolved === true) return true;
    if (resolved === 'false' || resolved === false) return false;
    throw this.error(`${where}: cannot decide the condition ${JSON.stringify(node)}`);
  }

  /** Resolves every intrinsic in `node`; `where` names the position for warnings and errors. */
  resolve(node: unknown, where: string): unknown {
    if (Array.isArray(node)) return node.map((n, i) => this.resolve(n, `${where}[${i}]`)).filter((v) => v !== undefined);
    if (!isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const key = keys[0] as string;
      const arg = node[key];
      switch (key) {
        case 'Ref': return this.ref(String(this.resolve(arg, where)), where);
        case 'Fn::GetAtt': {
          const parts = typeof arg === 'string' ? arg.split('.') : this.list(this.resolve(arg, where), where).map(String);
          return this.getAtt(parts[0] ?? '', parts.slice(1).join('.'), where);
        }
        case 'Fn::Sub': return this.sub(arg, where);
        case 'Fn::Join': {
          const [sep, items] = this.list(arg, where);
          return this.list(this.resolve(items, where), where).map(String).join(String(this.resolve(sep, where)));
        }
        case 'Fn::Select': {
          const [index, items] = this.list(arg, where);
          const list = this.list(this.resolve(items, where), where);
          const i = Number(this.resolve(index, where));
          if (!(i >= 0 && i < list.length)) throw this.error(`${where}: Fn::Select index ${i} is outside the list of ${list.length}`);
          return list[i];
        }
        case 'Fn::Split': {
          const [sep, text] = this.list(arg, where);
          return String(this.resolve(text, where)).split(String(this.resolve(sep, where)));
        }
        case 'Fn::FindInMap': {
          const [map, top, second] = this.list(this.resolve(arg, where), where).map(String);
          const found = (this.input.mappings[map ?? ''] as Record<string, Record<string, unknown>> | undefined)?.[top ?? '']?.[second ?? ''];
          if (found === undefined) throw this.error(`${where}: Fn::FindInMap found nothing at ${map}.${top}.${second}`);
          return found;
        }
        case 'Fn::If': {
          const [cond, yes, no] = this.list(arg, where);
          return this.resolve(this.condition(String(cond), where) ? yes : no, where);
        }
        case 'Fn::Base64': return Buffer.from(String(this.resolve(arg, where))).toString('base64');
        case 'Fn::GetAZs': return ['a', 'b', 'c'].map((z) => `${String(this.pseudo['AWS::Region'])}${z}`);
        case 'Fn::ImportValue': {
          const name = String(this.resolve(arg, where));
          if (this.input.exports?.has(name)) return this.input.exports.get(name);
          this.warnings.push(`${where}: Fn::ImportValue ${name} is another stack's output; it stands in as "${name}"`);
          return name;
        }
        case 'Fn::ToJsonString': return JSON.stringify(this.resolve(arg, where));
        case 'Fn::Length': return this.list(this.resolve(arg, where), where).length;
        case 'Fn::Equals': case 'Fn::Not': case 'Fn::And': case 'Fn::Or': case 'Condition':
          return this.truth(node, where);
        default: break;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const r = this.resolve(v, `${where}.${k}`);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }

  private ref(name: string, where: string): unknown {
    if (this.params.has(name)) return this.params.get(name);
    if (Object.hasOwn(this.pseudo, name)) return this.pseudo[name];
    if (Object.hasOwn(this.input.parameters, name)) {
      this.missing.add(name);
      return `\${${name}}`;
    }
    if (Object.hasOwn(this.input.resources, name)) {
      // A table's Ref is its name: the one it gives itself, or the stand-in the local DynamoDB creates it under.
      const table = this.input.resources[name] as { Type?: unknown; Properties?: { TableName?: unknown } } | undefined;
      if (table?.Type === 'AWS::DynamoDB::Table' || table?.Type === 'AWS::Serverless::SimpleTable') {
        const own = table.Properties?.TableName;
        const named = own === undefined ? undefined : this.resolve(own, `Resources.${name}.Properties.TableName`);
        return typeof named === 'string' ? named : name;
      }
      // A bucket's Ref is its name too: the one it gives itself, or its id lower-cased (the local S3's).
      if (table?.Type === 'AWS::S3::Bucket') {
        const own = (table.Properties as { BucketName?: unknown } | undefined)?.BucketName;
        const named = own === undefined ? undefined : this.resolve(own, `Resources.${name}.Properties.BucketName`);
        return typeof named === 'string' ? named : name.toLowerCase();
      }
      this.standIn(`Ref ${name}`, `${where}: !Ref ${name} names a resource only a deployment creates; it stands in as "${name}" (as sam local passes it)`);
      return name;
    }
    throw this.error(`${where}: !Ref ${name} names no parameter or resource of the template`);
  }

  private getAtt(resource: string, attribute: string, where: string): string {
    if (!Object.hasOwn(this.input.resources, resource)) throw this.error(`${where}: !GetAtt ${resource}.${attribute} names no resource of the template`);
    const { 'AWS::Region': region, 'AWS::AccountId': account } = this.pseudo as Record<string, string>;
    this.standIn(`GetAtt ${resource}.${attribute}`, `${where}: !GetAtt ${resource}.${attribute} is known only once deployed; it stands in as a placeholder`);
    return attribute === 'Arn' ? `arn:aws:placeholder:${region}:${account}:${resource}` : `${resource}.${attribute}`;
  }

  private sub(arg: unknown, where: string): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : (this.list(arg, where) as [unknown, unknown]);
    const variables = isObject(vars) ? vars : {};
    return String(text).replace(/\$\{(!?)([^}]*)\}/g, (_m, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      const key = name.trim();
      if (Object.hasOwn(variables, key)) return String(this.resolve(variables[key], `${where}.${key}`));
      const dot = key.indexOf('.');
      if (dot > 0 && !key.startsWith('AWS::') && Object.hasOwn(this.input.resources, key.slice(0, dot))) return this.getAtt(key.slice(0, dot), key.slice(dot + 1), where);
      return String(this.ref(key, where));
    });
  }

  private standIn(key: string, warning: string): void {
    if (this.stoodIn.has(key)) return;
    this.stoodIn.add(key);
    this.warnings.push(warning);
  }

  private list(value: unknown, where: string): unknown[] {
    if (!Array.isArray(value)) throw this.error(`${where}: expected a list, got ${JSON.stringify(value)}`);
    return value;
  }

  /** Throws naming every parameter the template needed and was not given (CloudFormation asks for them all at once too). */
  assertComplete(): void {
    if (this.missing.size === 0) return;
    const names = [...this.missing];
    const one = names.length === 1;
    throw this.error(`parameter${one ? '' : 's'} ${names.join(', ')} ${one ? 'has' : 'have'} no Default; give ${one ? 'it' : 'them'} with --parameter-overrides ${names.map((n) => `${n}=VALUE`).join(' ')}`);
  }

  private error(message: string): ContractError {
    return new ContractError('ERR_CONTRACT_TEMPLATE', `${this.input.file}: ${message}`, { file: this.input.file });
  }
}
