import type { APIGatewayProxyHandler } from 'aws-lambda';
import { json, list } from '../lib/store';

export const handler: APIGatewayProxyHandler = async () => json(200, await list());
