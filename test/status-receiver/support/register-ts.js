// Lets a child process run the TypeScript sources as they are (no build step): compiles .ts with
// SWC on load and resolves the @ferry/* path aliases, like jest's moduleNameMapper does.
// Usage: node test/status-receiver/support/register-ts.js apps/status-receiver/src/main.ts
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@ferry\/(contracts|plan|storage|platform)(\/.*)?$/.exec(request);
  if (alias) request = path.join(root, 'libs', alias[1], 'src', alias[2] || '');
  return resolve.call(this, request, ...rest);
};
require.extensions['.ts'] = function (module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(path.resolve(root, process.argv[2]));
