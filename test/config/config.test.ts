import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { eventFor, isContractError } from '../../src';
import { findConfig } from '../../src/config/config';
import { defaultContract, resetContract } from '../../src/config/default';

const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('configuration', () => {
  afterEach(() => resetContract());

  it('reads lambda-contract.config.json from a parent directory', () => {
    const dir = project({ 'lambda-contract.config.json': JSON.stringify({ spec: 'api.yaml', handler: 'h.js#main', timeout: 500 }), 'src/deep/.keep': '' });
    const found = findConfig(path.join(dir, 'src/deep'));
    expect(found).toEqual({ config: { spec: 'api.yaml', handler: 'h.js#main', timeout: 500 }, file: path.join(dir, 'lambda-contract.config.json'), dir });
  });

  it('reads lambda-contract.config.js', () => {
    const dir = project({ 'lambda-contract.config.js': "module.exports = { spec: 'openapi.json', handler: 'dist/h.js', source: 'rest' };" });
    expect(findConfig(dir).config).toEqual({ spec: 'openapi.json', handler: 'dist/h.js', source: 'rest' });
  });

  it('reads the lambdaContract key of package.json, and nothing when there is none', () => {
    const dir = project({ 'package.json': JSON.stringify({ name: 'x', lambdaContract: { spec: 'openapi.yaml', source: 'rest' } }) });
    expect(findConfig(dir).config).toEqual({ spec: 'openapi.yaml', source: 'rest' });
    expect(findConfig(project({ 'package.json': '{"name":"y"}' })).config).toEqual({});
  });

  it.each([
    [{ spec: 1 }, '"spec" must be a string, got 1'],
    [{ source: 'sqs' }, '"source" must be one of rest, http, http-v1, url, alb, alb-multi, got "sqs"'],
    [{ timeout: -5 }, '"timeout" must be a non-negative number'],
    [{ specc: 'a.yaml' }, 'unknown key "specc"; known keys: spec, handler, template, source'],
    [{ authorizer: 3 }, '"authorizer" must be "file#export" or { handler: "file#export"'],
    [{ authorizer: { handler: 'a.ts', type: 'token' } }, '"authorizer" must be an object whose type is "TOKEN" or "REQUEST"'],
    [{ authorizer: { handler: 'a.ts', ttl: 5 } }, '"authorizer" must be an object without "ttl"'],
    [{ authorizerContext: { type: 'jwt' } }, '"authorizerContext" must be { type: "jwt", claims }'],
  ])('rejects %j naming the file and key', (config, message) => {
    const dir = project({ 'lambda-contract.config.json': JSON.stringify(config) });
    let error: unknown;
    try {
      findConfig(dir);
    } catch (e) {
      error = e;
    }
    expect(isContractError(error, 'ERR_CONTRACT_CONFIG')).toBe(true);
    expect((error as Error).message.startsWith(`${path.join(dir, 'lambda-contract.config.json')}: ${message}`)).toBe(true);
  });

  it('loads the configured spec once for eventFor, relative to the config file, with its stage', async () => {
    const dir = project({});
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ lambdaContract: { spec: path.relative(dir, PETSTORE), stage: 'v1' } }));
    const contract = await defaultContract(dir);
    expect(await defaultContract(dir)).toBe(contract);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const event = await eventFor('getPet');
      expect(event.requestContext.path).toBe('/v1/pets/1');
    } finally {
      process.chdir(cwd);
    }
  });

  it('applies the configured source and authorizer context to the default contract’s events', async () => {
    const dir = project({});
    const claims = { sub: 'u1', scope: 'pets.read' };
    writeFileSync(path.join(dir, 'lambda-contract.config.json'), JSON.stringify({ spec: path.relative(dir, PETSTORE), source: 'http', authorizerContext: { type: 'jwt', claims } }));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      // createPet is secured (bearer): the JWT authorizer's claims are in its event; listPets is public.
      const created = (await eventFor('createPet')) as unknown as Record<string, any>;
      expect(created.routeKey).toBe('POST /pets');
      expect(created.requestContext.authorizer).toEqual({ jwt: { claims, scopes: ['pets.read'] } });
      const listed = (await eventFor('listPets')) as unknown as Record<string, any>;
      expect(listed.requestContext).not.toHaveProperty('authorizer');
    } finally {
      process.chdir(cwd);
    }
  });

  it('says what to do when no spec is configured', async () => {
    await expect(defaultContract(project({ 'package.json': '{}' }))).rejects.toThrow(/no contract: add "spec" to lambda-contract.config.json/);
  });
});
