/** AWS Powertools' zod schema for each source's event: what users validate the events we build with. */
import { AlbMultiValueHeadersSchema, AlbSchema, APIGatewayProxyEventSchema, APIGatewayProxyEventV2Schema, LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas';
import type { SourceName } from '../../src/gateway/types';

export type EventSchema = { safeParse(v: unknown): { success: boolean; error?: unknown } };

export const EVENT_SCHEMAS: Readonly<Record<SourceName, EventSchema>> = {
  rest: APIGatewayProxyEventSchema,
  'http-v1': APIGatewayProxyEventSchema,
  http: APIGatewayProxyEventV2Schema,
  url: LambdaFunctionUrlSchema,
  alb: AlbSchema,
  'alb-multi': AlbMultiValueHeadersSchema,
};
