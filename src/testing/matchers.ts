/** Every matcher lambda-contract registers, by name (for `expect.extend`). */
import { toMatchOperation } from './toMatchOperation';

export const matchers = { toMatchOperation };
