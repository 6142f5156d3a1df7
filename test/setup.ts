/** Our own tests use the matchers as users do, registered from the source. */
import { expect } from '@jest/globals';
import { matchers } from '../src/jest/matchers';

expect.extend(matchers);
