import { expect as globalsExpect } from '@jest/globals';
import * as path from 'node:path';
import { invoke, loadContract, useContract, type Contract } from '../../src';
import { matchers } from '../../src/jest';
import { resetContract } from '../../src/config/default';
import { handler } from '../../specs/petstore/handler';

const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');
const strip = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return strip((error as Error).message);
  }
  throw new Error('the assertion passed');
}

describe('toMatchOperation', () => {
  let contract: Contract;
  beforeAll(async () => {
    contract = useContract(await loadContract(PETSTORE));
  });
  afterAll(() => resetContract());

  it('is exported and registered', () => {
    expect(Object.keys(matchers)).toEqual(['toMatchOperation']);
  });

  it('passes for a conforming invocation, with and without a status, in both expect styles', async () => {
    const inv = await invoke(handler, contract.eventFor('getPet', { pathParameters: { petId: '1' } }) as never);
    expect(inv).toMatchOperation('getPet');
    expect(inv).toMatchOperation('getPet', { status: 200 });
    globalsExpect(inv).toMatchOperation('getPet');
    const missing = await invoke(handler, contract.eventFor('getPet', { pathParameters: { petId: '999' } }) as never);
    expect(missing).toMatchOperation('getPet', { status: 404 });
  });

  it('accepts a raw Lambda result as well as an invocation', () => {
    expect({ statusCode: 204, body: '' }).toMatchOperation('deletePet');
    expect({ statusCode: 204, body: '' }).not.toMatchOperation('getPet');
  });

  it('fails with every violation, where, expected, received and the request', async () => {
    const broken = async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '7', name: 'Tom', kind: 'fish', createdAt: CREATED }) });
    const inv = await invoke(broken, contract.eventFor('getPet') as never);
    expect(failureOf(() => expect(inv).toMatchOperation('getPet'))).toBe(
      [
        'expect(received).toMatchOperation(operationId)',
        '',
        'getPet (GET /pets/{petId}) answered 200 behind rest with 2 contract violations:',
        '',
        '  ✗ body at /id: expected type integer, received string "7"',
        '      rule:     body_schema (type)',
        '      where:    body /id',
        '      Expected: type integer',
        '      Received: string "7"',
        '  ✗ body at /kind: expected one of ["cat","dog","bird"], received "fish"',
        '      rule:     body_schema (enum)',
        '      where:    body /kind',
        '      Expected: one of ["cat","dog","bird"]',
        '      Received: "fish"',
        '',
        'Request: GET /pets/1 (request case schema, seed 1)',
      ].join('\n'),
    );
  });

  it('says what the gateway answers for a result it rejects', () => {
    const message = failureOf(() => expect({ statusCode: 200, body: { id: 1 } }).toMatchOperation('getPet'));
    expect(message).toContain('getPet (GET /pets/{petId}): behind rest the gateway answers 502 instead of the handler\'s response:');
    expect(message).toContain('✗ the gateway answers 502 {"message": "Internal server error"} instead of the handler\'s response');
    expect(message).toContain('Received: Malformed Lambda proxy response: body must be a string, got object (serialize it with JSON.stringify)');
  });

  it('fails .not for a conforming result, saying it conforms', async () => {
    const inv = await invoke(handler, contract.eventFor('listPets') as never);
    expect(failureOf(() => expect(inv).not.toMatchOperation('listPets'))).toBe(
      [
        'expect(received).not.toMatchOperation(operationId)',
        '',
        'Expected the handler\'s result not to match listPets (GET /pets) behind rest, but it conforms:',
        '  status 200, Content-Type "application/json"',
        '',
        'Request: GET /pets?limit=10 (request case schema, seed 1)',
      ].join('\n'),
    );
  });

  it('reports an unexpected status', () => {
    const message = failureOf(() => expect({ statusCode: 204, body: '' }).toMatchOperation('deletePet', { status: 404 }));
    expect(message).toContain('✗ expected status 404, received 204');
  });

  it('lists the operations for an unknown id, with or without .not', () => {
    const message = failureOf(() => expect({}).toMatchOperation('getPett'));
    expect(message).toContain(`unknown operation "getPett" in ${PETSTORE}; did you mean "getPet"?; operations: listPets, createPet, getPet, deletePet`);
    expect(failureOf(() => expect({}).not.toMatchOperation('getPett'))).toContain('unknown operation "getPett"');
  });

  it('explains how to load a contract when none is', () => {
    resetContract();
    try {
      expect(failureOf(() => expect({}).toMatchOperation('getPet'))).toContain('no contract is loaded');
      expect({ statusCode: 204 }).toMatchOperation('deletePet', { contract });
    } finally {
      useContract(contract);
    }
  });

  it('judges behind the source asked for: a plain object is an inferred 200 JSON behind an HTTP API, a 502 behind REST', async () => {
    const pet = { id: 1, name: 'Tom', kind: 'cat', tag: null, createdAt: CREATED };
    expect(pet).toMatchOperation('getPet', { source: 'http' });
    expect(pet).toMatchOperation('getPet', { source: 'url', status: 200 });
    expect(failureOf(() => expect(pet).toMatchOperation('getPet', { source: 'rest' }))).toContain('rule:     gateway_malformed_result');
    expect(failureOf(() => expect(pet).toMatchOperation('getPet', { source: 'alb' }))).toContain('statusCode is required');
    // An invocation remembers the source its event was built for.
    const inv = await invoke(async () => pet, contract.eventFor('getPet', { source: 'http' }) as never);
    expect(inv).toMatchOperation('getPet');
    expect(failureOf(() => expect(inv).toMatchOperation('getPet', { source: 'http-v1' }))).toContain('behind http-v1 the gateway answers 500');
  });

  it('shows a short diff for a value that must be exact (const, one-value enum), and keeps it as data', async () => {
    const dialects = await loadContract(path.resolve(__dirname, '../fixtures/specs/dialects-3.1.yaml'));
    const result = {
      statusCode: 200,
      multiValueHeaders: { 'Content-Type': ['application/json'], 'Set-Cookie': ['a=1'] },
      body: JSON.stringify({ id: 1, kind: 'thin', when: '2026-01-01T00:00:00Z' }),
    };
    const message = failureOf(() => expect(result).toMatchOperation('getThing', { contract: dialects }));
    expect(message).toContain('body at /kind: expected exactly "thing", received "thin"');
    expect(message).toContain(['      - Expected', '      + Received', '', '      - thing', '      + thin'].join('\n'));
    expect(dialects.judge('getThing', result).result.violations[0]?.diff).toEqual({ expected: 'thing', received: 'thin' });
  });

  it('works as an asymmetric matcher inside toEqual', async () => {
    const inv = await invoke(handler, contract.eventFor('getPet') as never);
    expect({ inv }).toEqual({ inv: expect.toMatchOperation('getPet') });
  });
});

const CREATED = '2026-01-01T12:00:00.000Z';
