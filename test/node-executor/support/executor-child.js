// Runs the node executor from its TypeScript sources in a child process, no build step (see
// register-ts.js). Arguments are the executor's flags.
// Usage: node test/node-executor/support/executor-child.js --pool --simulate
require('../../support/register-ts');
const path = require('node:path');

void require(path.resolve(__dirname, '../../../apps/node-executor/src/main.ts')).main(
  process.argv.slice(2),
);
