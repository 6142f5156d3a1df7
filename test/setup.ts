/** Our own tests use the matchers as users do, registered from the source, and tear down nock as the preset does. */
import { afterAll, expect } from '@jest/globals';
import { matchers } from '../src/testing/matchers';
import { releaseNock } from '../src/invoke/isolation';

expect.extend(matchers);
afterAll(() => releaseNock());
