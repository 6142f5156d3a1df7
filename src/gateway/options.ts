/** Gateway settings: the one list of their keys, and every default settled in one place. */
import type { AuthorizerContext, GatewayOptions } from './types';

/** Every key of {@link GatewayOptions}: config files, CLI flags and call options are sorted with this list. */
export const GATEWAY_OPTION_KEYS = ['stage', 'stageVariables', 'binaryMediaTypes', 'region', 'accountId', 'apiId', 'sourceIp', 'now', 'sequence', 'authorizer', 'gatewayResponses', 'cors'] as const satisfies ReadonlyArray<keyof GatewayOptions>;

/** The gateway settings among `options` (every other key left out). */
export function pickGatewayOptions(options: object): GatewayOptions {
  const given = options as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const key of GATEWAY_OPTION_KEYS) if (given[key] !== undefined) out[key] = given[key];
  return out as GatewayOptions;
}

/** The instant used when the caller asks for none: events stay byte-identical run to run. */
export const FIXED_NOW = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));

export interface ResolvedGatewayOptions {
  /** As given; each source applies its own default (`prod` for REST, `$default` for HTTP APIs). */
  stage: string | undefined;
  stageVariables: Record<string, string> | undefined;
  binaryMediaTypes: string[];
  region: string;
  accountId: string;
  apiId: string;
  sourceIp: string;
  now: Date;
  sequence: number;
  authorizer: AuthorizerContext | undefined;
}

/** Settles every gateway option's default in one place. */
export function resolveGatewayOptions(options: GatewayOptions = {}): ResolvedGatewayOptions {
  const stageVariables = options.stageVariables;
  return {
    stage: options.stage,
    stageVariables: stageVariables && Object.keys(stageVariables).length > 0 ? stageVariables : undefined,
    binaryMediaTypes: options.binaryMediaTypes ?? [],
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    apiId: options.apiId ?? 'lc1a2b3c4d',
    sourceIp: options.sourceIp ?? '203.0.113.10',
    now: options.now ?? FIXED_NOW,
    sequence: options.sequence ?? 0,
    authorizer: options.authorizer,
  };
}
