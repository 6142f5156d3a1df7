/**
 * SAM's project configuration (`samconfig.toml`, or `samconfig.yaml`/`.yml`), where SAM users keep the
 * values of their template's Parameters: `parameter_overrides` of a config environment (`default`
 * unless named), read from its `global`, `deploy` and `local_start_api` sections, later ones winning, as
 * `sam local start-api` reads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import yaml from 'js-yaml';
import { ContractError } from '../errors';

/** The sections whose `parameter_overrides` count, in the order they are laid over each other. */
const SECTIONS = ['global', 'deploy', 'local_start_api'] as const;
const FILES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'];

/** The parameter values a SAM config gives a template, and the file they came from (none: `{}`). */
export function samconfigOverrides(templateFile: string, env = 'default'): { file?: string; overrides: Record<string, string> } {
  const dir = path.dirname(path.resolve(templateFile));
  const file = FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (!file) return { overrides: {} };
  let config: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    config = file.endsWith('.toml') ? parseToml(text) : yaml.load(text);
  } catch (error) {
    throw new ContractError('ERR_CONTRACT_TEMPLATE', `${file}: not a readable SAM config: ${(error as Error).message.split('\n')[0]}`, { file });
  }
  const environment = (config as Record<string, unknown> | null)?.[env];
  const overrides: Record<string, string> = {};
  for (const section of SECTIONS) {
    const given = ((environment as Record<string, { parameters?: { parameter_overrides?: unknown } }> | undefined)?.[section])?.parameters?.parameter_overrides;
    if (given === undefined) continue;
    const pairs = Array.isArray(given) ? given.map(String) : [String(given)];
    for (const text of pairs) Object.assign(overrides, parseOverrides(text, `${file} [${env}.${section}.parameters] parameter_overrides`));
  }
  return { file, overrides };
}

/**
 * `Key=Value` pairs as SAM writes them: separated by spaces, values optionally quoted (`Name="two words"`),
 * or SAM's long form `ParameterKey=K,ParameterValue=V`.
 */
export function parseOverrides(text: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pair = /ParameterKey=([^,\s]+),ParameterValue=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)|([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)|(\S+)/g;
  for (const m of text.matchAll(pair)) {
    if (m[5] !== undefined) throw new ContractError('ERR_CONTRACT_TEMPLATE', `${where}: expected Key=Value pairs, got ${JSON.stringify(m[5])}`, { where });
    const key = (m[1] ?? m[3]) as string;
    const raw = (m[2] ?? m[4]) as string;
    out[key] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.startsWith("'") ? raw.slice(1, -1) : raw;
  }
  return out;
}
