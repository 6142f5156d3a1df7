/**
 * The build step that makes built-ins local bindings (src/build/local-globals.ts): what it wraps, what
 * it leaves alone, that a wrapped module computes what it did, and that every built module still loads.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { localizeGlobals } from '../../src/build/local-globals';

const MODULE = [
  '"use strict";',
  'Object.defineProperty(exports, "__esModule", { value: true });',
  'exports.shape = shape;',
  'function shape(value) {',
  '    return Array.isArray(value) ? `array of ${value.length}` : JSON.stringify(Object.keys(value));',
  '}',
  '//# sourceMappingURL=shape.js.map',
].join('\n');

function load(text: string): { shape: (v: unknown) => string } {
  const exports = {};
  vm.runInNewContext(`(function (exports) {${text}\n})`)(exports);
  return exports as { shape: (v: unknown) => string };
}

describe('localizeGlobals', () => {
  it('passes the built-ins a module names as parameters, keeping its lines where they were', () => {
    const out = localizeGlobals(MODULE);
    expect(out.split('\n')[0]).toBe('"use strict";(function (Array, Object, JSON) {');
    expect(out.split('\n').slice(1, 6)).toEqual(MODULE.split('\n').slice(1, 6));
    expect(out.split('\n').at(-2)).toBe('}).call(this, Array, Object, JSON);');
    expect(out.split('\n').at(-1)).toBe('//# sourceMappingURL=shape.js.map');
    for (const v of [[1, 2], { a: 1, b: 2 }]) expect(load(out).shape(v)).toBe(load(MODULE).shape(v));
  });

  it('leaves alone what a module declares itself, what tests replace, and text that is no strict module', () => {
    const own = MODULE.replace('function shape(value) {', 'const Array = { isArray: () => false };\nfunction shape(value) {');
    expect(localizeGlobals(own).split('\n')[0]).toBe('"use strict";(function (Object, JSON) {');
    expect(localizeGlobals('"use strict";\nexports.now = () => new Date(performance.now()); setTimeout(() => {}, 1);')).toBe('"use strict";\nexports.now = () => new Date(performance.now()); setTimeout(() => {}, 1);');
    expect(localizeGlobals('module.exports = Array.isArray;')).toBe('module.exports = Array.isArray;');
  });
});

describe('the build', () => {
  const dist = path.resolve(__dirname, '../../dist');
  const modules: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.name.endsWith('.js') && !file.endsWith(path.join('cli', 'bin.js'))) modules.push(file);
    }
  };
  walk(dist);

  it('wraps the modules that read built-ins, and every module still loads', () => {
    const wrapped = modules.filter((f) => readFileSync(f, 'utf8').startsWith('"use strict";(function ('));
    expect(wrapped.length).toBeGreaterThan(modules.length / 2);
    expect(readFileSync(path.join(dist, 'document', 'pointer.js'), 'utf8')).toMatch(/^"use strict";\(function \([^)]*\bArray\b/);
    for (const file of modules) {
      expect(() => new vm.Script(readFileSync(file, 'utf8'), { filename: file })).not.toThrow();
      // the preset's setup file registers Jest hooks as it loads: compiled above, loaded by the e2e tests
      if (!file.endsWith(path.join('jest', 'setup.js'))) expect(() => require(file)).not.toThrow();
    }
  });
});
