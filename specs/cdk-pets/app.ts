/**
 * lambda-contract's CDK example: a REST API (`RestApi` + `LambdaIntegration`) for pets and an HTTP API
 * route for orders, each with its own function. `npx cdk synth` runs `main`; the tests call `synth`.
 */
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { LambdaIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';

/** The app's constructs, for a caller that changes them before synthesis. */
export interface PetsApp {
  stack: Stack;
  pets: Function;
  orders: Function;
  api: RestApi;
  http: HttpApi;
}

/** Synthesizes the app into `outdir` (a cdk.out folder) and returns it; `customize` may change the constructs first. */
export function synth(outdir: string, customize?: (app: PetsApp) => void): string {
  // As the CDK CLI runs an app: resources carry their construct path (`aws:cdk:path`), which names them.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'PetsStack');
  const pets = new Function(stack, 'PetsHandler', {
    runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(path.join(__dirname, 'lambda/pets')),
    timeout: Duration.seconds(10), environment: { GREETING: 'hello' },
  });
  const orders = new Function(stack, 'OrdersHandler', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(path.join(__dirname, 'lambda/orders')) });
  const api = new RestApi(stack, 'PetsApi');
  const petsResource = api.root.addResource('pets');
  petsResource.addMethod('GET', new LambdaIntegration(pets));
  petsResource.addResource('{petId}').addMethod('GET', new LambdaIntegration(pets));
  const http = new HttpApi(stack, 'OrdersApi');
  http.addRoutes({ path: '/orders', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('OrdersIntegration', orders) });
  customize?.({ stack, pets, orders, api, http });
  app.synth();
  return outdir;
}

if (require.main === module) synth(process.env.CDK_OUTDIR ?? path.join(__dirname, 'cdk.out'));
