// Atrium JavaScript harness: runs the requested tests against solution.js (CommonJS), one
// fresh module load per test, and prints one result line per test:
// "@@ATRIUM-<nonce>@@ <json>". The nonce is printed before any user code runs, and user
// output is captured per test. Expected values never come here: the harness reports each
// value and the server compares.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const crypto = require('crypto');

const NONCE = crypto.randomBytes(12).toString('hex');
const HERE = process.cwd();
const write = (s) => fs.writeSync(1, s);
const emit = (o) => write(`\n@@ATRIUM-${NONCE}@@ ${JSON.stringify(o)}\n`);
write(`ATRIUM-HARNESS ${NONCE} javascript\n`);
const SPEC = JSON.parse(fs.readFileSync('tests.json', 'utf8'));
fs.unlinkSync('tests.json'); // hidden expectations are not left lying around for user code
const LIMIT = SPEC.per_test_ms || 2500;

function norm(v) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'function') return `[Function ${v.name || 'anonymous'}]`;
  if (Array.isArray(v)) return v.map(norm);
  if (v instanceof Map) return norm(Object.fromEntries([...v].map(([k, x]) => [String(k), x])));
  if (v instanceof Set) return [...v].map(norm);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = norm(v[k]);
    return o;
  }
  return String(v);
}

function where(e) {
  const stack = String((e && e.stack) || '');
  const m = stack.match(/solution\.js:(\d+)/) || stack.match(/<anonymous>:(\d+)/);
  if (!m) return null;
  // A test body sits two lines below the generated function header.
  return stack.includes('solution.js:') ? `solution.js line ${m[1]}` : `test line ${m[1] - 2}`;
}
function describe(e) {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : `thrown: ${String(e)}`;
  const spot = where(e);
  return spot ? `${text} (at ${spot})` : text;
}

const solutionPath = path.join(HERE, 'solution.js');
try {
  const src = fs.readFileSync(solutionPath, 'utf8');
  new vm.Script(Module.wrap(src), { filename: solutionPath });
} catch (e) {
  const lines = String((e && e.stack) || e).split('\n');
  const end = lines.findIndex((l) => /^\w*Error/.test(l));
  let stack = lines.slice(0, end >= 0 ? end + 1 : 6).join('\n');
  if (/Unexpected token '(export|import)'|import statement outside a module/.test(stack)) {
    stack += '\n(Use CommonJS: module.exports = { ... } and require(...).)';
  }
  emit({ fatal: stack.replace(HERE + path.sep, '') });
  process.exit(0);
}

let captured = '';
const capture = (chunk) => {
  if (captured.length < 100000) captured += String(chunk);
  return true;
};
process.stdout.write = capture;
process.stderr.write = capture;
process.on('uncaughtException', (e) => capture(`uncaught: ${describe(e)}\n`));
process.on('unhandledRejection', (e) => capture(`unhandled rejection: ${describe(e)}\n`));

function freshModule() {
  for (const k of Object.keys(require.cache)) {
    if (k.startsWith(HERE + path.sep) && k !== __filename) delete require.cache[k];
  }
  return require(solutionPath);
}

const AsyncFunction = (async () => {}).constructor;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(('require solution await arguments eval break case catch class const ' +
  'continue debugger default delete do else enum export extends false finally for function if ' +
  'import in instanceof new null return super switch this throw true try typeof var void while ' +
  'with yield let static implements interface package private protected public').split(' '));

async function run(test) {
  const res = { i: test.i };
  captured = '';
  const start = process.hrtime.bigint();
  let timer;
  try {
    const solution = freshModule();
    const exported = solution && typeof solution === 'object' ? solution : {};
    const names = Object.keys(exported).filter((k) => IDENT.test(k) && !RESERVED.has(k));
    const fn = new AsyncFunction('require', 'solution', ...names, test.code);
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`__timeout__`)), LIMIT);
    });
    const value = await Promise.race([
      fn(require, solution, ...names.map((n) => exported[n])),
      timeout,
    ]);
    if (test.compare) res.value = norm(value);
    res.ok = true;
  } catch (e) {
    res.ok = false;
    if (e instanceof Error && e.message === '__timeout__') {
      Object.assign(res, { kind: 'timeout', message: `timed out after ${LIMIT / 1000} s` });
    } else if (e instanceof Error && (e.name === 'AssertionError' || e.code === 'ERR_ASSERTION')) {
      Object.assign(res, { kind: 'assertion', message: describe(e) });
    } else {
      Object.assign(res, { kind: 'error', message: describe(e) });
    }
  } finally {
    clearTimeout(timer);
  }
  res.ms = Number((process.hrtime.bigint() - start) / 1000000n);
  if (captured) res.stdout = captured.slice(-2000);
  return res;
}

(async () => {
  for (const t of SPEC.tests) {
    let r;
    try {
      r = await run(t);
    } catch (e) {
      r = { i: t.i, ok: false, kind: 'error', message: describe(e) };
    }
    emit(r);
  }
  process.exit(0);
})();
