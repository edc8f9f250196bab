// A require hook that lets node run the TypeScript sources as they are (no build step): SWC
// compiles each .ts file on load and @ferry/* resolve to libs/*/src, as jest's moduleNameMapper does.
// Usage: node -r ./test/support/register-ts.js some-file.ts, or node test/support/register-ts.js
// apps/<app>/src/main.ts [args] to start a service from its sources (the tests' child processes).
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../..');
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

if (require.main === module && process.argv[2]) require(path.resolve(root, process.argv[2]));
