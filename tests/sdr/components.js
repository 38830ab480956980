// Prints, as JSON, the components Salesforce's source-deploy-retrieve library finds in SFDX
// package directories: what `sf project deploy start` would send. One object, keyed by the
// directory as given, each a list of { type, fullName } sorted so the output is stable.
//
// Usage: node components.js <package directory, such as salesforce/force-app>...
'use strict';

const path = require('node:path');
const { ComponentSet } = require('@salesforce/source-deploy-retrieve');

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node components.js <package directory>...');
  process.exit(2);
}

const found = {};
for (const dir of dirs) {
  try {
    found[dir] = ComponentSet.fromSource(path.resolve(dir))
      .toArray()
      .map((c) => ({ type: c.type.name, fullName: c.fullName }))
      .sort((a, b) => a.type.localeCompare(b.type) || a.fullName.localeCompare(b.fullName));
  } catch (error) {
    console.error(`${dir}: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(found, null, 2) + '\n');
