#!/usr/bin/env node
// The `appsync-local` command. CommonJS that any Node can parse, so that an older Node is told
// what it needs in one line instead of failing on syntax it does not know; the runtime itself
// is loaded by start.cjs only after the check.
'use strict';

var MINIMUM_MAJOR = 22;
var major = Number(process.versions.node.split('.')[0]);
if (!(major >= MINIMUM_MAJOR)) {
  console.error('appsync-local needs Node.js ' + MINIMUM_MAJOR + ' or newer (22 and 24 are supported); this is Node.js ' + process.versions.node + '.');
  process.exit(1);
}

if (process.argv[2] === '--version' || process.argv[2] === '-v') {
  console.log(require('../package.json').version);
} else {
  require('./start.cjs');
}
