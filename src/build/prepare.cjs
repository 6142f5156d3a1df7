#!/usr/bin/env node
/**
 * `npm prepare`: builds dist/ wherever the package is packed or installed from source — `npm pack`,
 * `npm ci` in a checkout, a git URL, or `npm i /path/to/checkout` (a link, whose folder npm fills with
 * nothing). A checkout without its toolchain gets its locked dependencies first, as npm does for git URLs.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

function run(command, args) {
  // The outer npm's own settings (a consumer's prefix, --global, --omit=dev) must not steer this folder's install.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|prefix|location|omit|include|only|production|save.*|workspaces?|ignore_scripts)$/i.test(k)));
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`lambda-contract prepare: \`${command} ${args.join(' ')}\` failed in ${root}${r.error ? `: ${r.error.message}` : ''}`);
    process.exit(r.status || 1);
  }
}

function resolvable(name) {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

if (!resolvable('typescript')) {
  console.error(`lambda-contract prepare: no TypeScript in ${root}; installing the locked dependencies to build dist/`);
  const lock = existsSync(path.join(root, 'package-lock.json'));
  run('npm', [lock ? 'ci' : 'install', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline']);
}
run('npm', ['run', 'build']);
