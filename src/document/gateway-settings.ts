/**
 * The gateway's configuration as an OpenAPI document for API Gateway writes it: request validators,
 * gateway responses, API keys, CORS, mock integrations (`x-amazon-apigateway-*`). Read once into plain
 * settings, each with the pointer that set it, so a report can say which setting decided a case.
 */
import { GATEWAY_RESPONSE_TYPES, type CorsConfiguration, type GatewayResponses, type GatewayResponseType, type OperationGateway } from '../gateway/types';

export type { MockAnswer, OperationGateway, RequestValidatorSetting, RestPreflight } from '../gateway/types';
import { readCorsConfiguration } from '../gateway/cors';
import { chosenMockResponse, mockAnswer } from '../gateway/mock';
import { isObject, pointer, type JsonObject } from './pointer';

/** The API-wide settings. */
export interface DocumentGateway {
  validators: Map<string, { body: boolean; parameters: boolean; setting: string }>;
  /** The document's default validator name and where it is set. */
  defaultValidator?: { name: string; setting: string };
  gatewayResponses?: GatewayResponses;
  cors?: CorsConfiguration;
  /**
   * `x-amazon-apigateway-api-key-source`: the gateway checks API keys only for a document that sets it
   * (a document without it may leave keys to the function); `HEADER` keys are checked by the gateway.
   */
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
}

const VALIDATORS = 'x-amazon-apigateway-request-validators';
const VALIDATOR = 'x-amazon-apigateway-request-validator';
const RESPONSES = 'x-amazon-apigateway-gateway-responses';
const CORS = 'x-amazon-apigateway-cors';

/** Reads the document's gateway settings; problems become warnings naming the pointer. */
export function documentGateway(doc: JsonObject, warnings: string[]): DocumentGateway {
  const out: DocumentGateway = { validators: new Map() };
  const keySource = doc['x-amazon-apigateway-api-key-source'];
  if (keySource === 'HEADER' || keySource === 'AUTHORIZER') out.apiKeySource = keySource;
  else if (keySource !== undefined) warnings.push(`#/x-amazon-apigateway-api-key-source: ${JSON.stringify(keySource)} is neither HEADER nor AUTHORIZER; API keys are not checked`);
  const validators = doc[VALIDATORS];
  if (isObject(validators)) {
    for (const [name, raw] of Object.entries(validators)) {
      if (!isObject(raw)) continue;
      out.validators.set(name, { body: raw.validateRequestBody === true, parameters: raw.validateRequestParameters === true, setting: pointer('', VALIDATORS, name) });
    }
  }
  if (typeof doc[VALIDATOR] === 'string') out.defaultValidator = { name: doc[VALIDATOR], setting: pointer('', VALIDATOR) };

  const responses = doc[RESPONSES];
  if (isObject(responses)) {
    const read: GatewayResponses = {};
    for (const [type, raw] of Object.entries(responses)) {
      const at = pointer('', RESPONSES, type);
      if (!(GATEWAY_RESPONSE_TYPES as readonly string[]).includes(type)) {
        warnings.push(`${at}: "${type}" is not a gateway response type (${GATEWAY_RESPONSE_TYPES.join(', ')}); ignored`);
        continue;
      }
      if (!isObject(raw)) continue;
      const status = raw.statusCode === undefined ? undefined : Number(raw.statusCode);
      if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) warnings.push(`${at}/statusCode: ${JSON.stringify(raw.statusCode)} is not an HTTP status; the type's own is used`);
      read[type as GatewayResponseType] = {
        ...(status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599 ? { statusCode: status } : {}),
        ...(isObject(raw.responseParameters) ? { responseParameters: stringMap(raw.responseParameters) } : {}),
        ...(isObject(raw.responseTemplates) ? { responseTemplates: stringMap(raw.responseTemplates) } : {}),
        setting: `#${at}`,
      };
    }
    out.gatewayResponses = read;
  }

  const cors = doc[CORS];
  if (isObject(cors)) out.cors = readCorsConfiguration(cors, 'extension', `#${pointer('', CORS)}`);
  return out;
}

function stringMap(value: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * The gateway's settings for one operation: its validator (its own, else the document's default), the
 * API key it requires (an `apiKey` scheme named `x-api-key` in the header, as API Gateway imports it),
 * and a mock integration's answer.
 */
export function operationGateway(api: DocumentGateway, op: JsonObject, opPointer: string, apiKeySchemes: ReadonlyArray<{ name: string; header: string }>, security: { list: unknown; at: string }, warnings: string[]): OperationGateway | undefined {
  const out: OperationGateway = {};
  const own = op[VALIDATOR];
  const chosen = typeof own === 'string' ? { name: own, setting: pointer(opPointer, VALIDATOR) } : api.defaultValidator;
  if (chosen) {
    const found = api.validators.get(chosen.name);
    if (found) {
      if (found.body || found.parameters) out.validator = { name: chosen.name, body: found.body, parameters: found.parameters, setting: `#${chosen.setting}` };
    } else warnings.push(`#${chosen.setting}: request validator "${chosen.name}" is not in ${VALIDATORS}; the operation is not validated`);
  }
  if (api.apiKeySource === 'HEADER' && Array.isArray(security.list)) {
    for (const [i, req] of security.list.entries()) {
      if (!isObject(req)) continue;
      const scheme = apiKeySchemes.find((s) => Object.hasOwn(req, s.name));
      if (scheme) {
        out.apiKey = { header: scheme.header, setting: `#${pointer(security.at, 'security', i)}` };
        break;
      }
    }
  }
  const integration = op['x-amazon-apigateway-integration'];
  if (isObject(integration) && String(integration.type ?? '').toLowerCase() === 'mock') {
    out.mock = mockAnswer(chosenMockResponse(integration.responses), `#${pointer(opPointer, 'x-amazon-apigateway-integration')}`);
  }
  return out.validator || out.apiKey || out.mock ? out : undefined;
}
