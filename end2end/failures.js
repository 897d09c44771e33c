// Prints each Playwright test that did not pass, with the start of its error, from the JSON
// report. The test script calls it after a failed run so the names are in the output's tail.
const report = require(process.argv[2]);

function walk(suite, path) {
  for (const spec of suite.specs || []) {
    for (const test of spec.tests) {
      for (const result of test.results) {
        if (result.status === 'passed' || result.status === 'skipped') continue;
        const message = ((result.error && result.error.message) || '').replace(/\u001b\[[0-9;]*m/g, '');
        console.log(`FAILED ${path} > ${spec.title} (${result.status})\n${message.slice(0, 800)}\n`);
      }
    }
  }
  for (const child of suite.suites || []) walk(child, `${path} > ${child.title}`);
}

for (const suite of report.suites) walk(suite, suite.title);
