/** One violation in the text report: what was expected and received, and where the rule comes from. */
import { formatViolation } from '../../src/report/text';
import type { Violation } from '../../src/verify/violation';

const base: Violation = { rule: 'body_schema', operationId: 'getPet', status: 200, where: 'body', expected: 'type string', received: '1', message: 'body at /id: expected type string' };

describe('a violation in the text report', () => {
  it('names a document pointer as a fragment of the contract', () => {
    expect(formatViolation({ ...base, specPointer: '/paths/~1pets/get/responses/200' }, '')).toContain('\n  contract: #/paths/~1pets/get/responses/200');
  });

  it('names a template\'s setting by its file and pointer, as it is given, not as a fragment', () => {
    const v: Violation = { ...base, rule: 'cors_preflight_refused', specPointer: 'App.template.json#/Resources/ItemsOPTIONS/Properties/Integration' };
    const text = formatViolation(v, '');
    expect(text).toContain('\n  set at: App.template.json#/Resources/ItemsOPTIONS/Properties/Integration');
    expect(text).not.toContain('##');
    expect(text).not.toContain('contract: #App');
  });
});
