'use strict';
// Loads the command-line entry point through the package's own exports, so that the installed
// package runs its compiled build (and a source checkout can select the sources by condition).
import('appsync-local-runtime/cli').catch(function (error) {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
