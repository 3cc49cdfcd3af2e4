'use strict';
/*
 * ftrace_jest.js - the jest adapter: marks each test file's boundaries in
 * the process that runs it (a jest worker, or jest itself with -i), so that
 * ftrace attributes its file accesses to the test file.  See docs/jest.md.
 *
 * Loaded into every node process of a recorded run through
 * NODE_OPTIONS=--require (set by `ftrace run`); it does nothing unless
 * FTRACE_RUN_DIR is set and the process loads jest-runner (jest 29's
 * runTest module; jest 30's bundled testWorker.js or TestRunner, reached
 * through their exports: docs/jest.md, "jest 30").  The user's jest config
 * is not touched.
 *
 * How a boundary reaches the interposer: ftrace.h is C, out of reach of
 * JavaScript, so the adapter stats reserved paths that the interposer
 * consumes and never records (preload/control.c):
 *   <run dir>/.ctl/begin/<id>, <run dir>/.ctl/end/<outcome>[.<ms>]/<id>
 * (<ms>: jest's own duration of the file, its perfStats.runtime).
 * The id is the test file's real path relative to FTRACE__TOP (the
 * repository top), absolute outside it.
 *
 * Soundness across jest's caches (each found by experiment, docs/jest.md):
 *  - jest-resolve keeps stat, realpath and package.json results, and each
 *    resolver keeps resolved module paths, for the worker's life: a second
 *    test file requiring a module the first one resolved would probe
 *    nothing (its absence dependencies would be lost).  They are cleared
 *    before each test file.
 *  - node's own module cache (jest, babel-jest, babel and the other
 *    modules the worker loaded for earlier test files) is read once per
 *    worker: each of its files is stat'ed again inside each test file, a
 *    stat of a regular file being a content dependency.
 *  - node's resolution of package names (Module._findPath: its path
 *    cache, package.json reads, realpaths) is kept for the process's
 *    life: each bare name node looked up is looked up again, by stats,
 *    in each test file (replayNode).
 *  - jest re-reads every module of the test file's own registry from disk
 *    for each test file (a fresh Runtime and cacheFS); the transform
 *    caches (on disk and in memory) are keyed by that content.
 *  - @jest/transform keeps each transformed file in memory for the
 *    worker's life (its project cache's transformedFiles, keyed by file
 *    name and mtime): only the first test file of a worker to load a
 *    source asked the transformer (babel-jest) for its cache key, and
 *    with it babel's lookups of its configuration (.babelrc, .babelrc.js,
 *    package.json, per directory).  A .babelrc put into lib/ later broke
 *    every test file loading lib/, and selected only that first one.  The
 *    map is emptied when each test file makes its transformer: the cache
 *    key (and the lookups) again per file, the transform itself still
 *    from jest's disk cache.
 *
 * Not marked (everything stays in the prelude, which every test depends
 * on: sound, coarse): jest running test files in worker threads
 * (workerThreads), where files of one process run concurrently.
 */
const Module = require('module');
const fs = require('fs');
const path = require('path');

const RUN_DIR = process.env.FTRACE_RUN_DIR ? path.resolve(process.env.FTRACE_RUN_DIR) : '';
let TOP = process.env.FTRACE__TOP;
let topResolved = false;
// enum ft_outcome (common/ft_record.h)
const OUTCOME = { passed: 1, failed: 2, skipped: 3, error: 4 };

// The id is appended as it is (path.join would fold the '//' of an
// absolute id).
function control(what) {
  try {
    fs.statSync(RUN_DIR + '/.ctl/' + what, { throwIfNoEntry: false });
  } catch (e) {
    // an id the file system refuses (too long): the context stays
  }
}

// Only the directory is resolved: this runs before the begin, in the
// prelude every test depends on, where a stat of the test file itself
// would make every test depend on its content.  (jest's paths are real
// already; a symlinked test file keeps its own name.)
function testId(file) {
  let real = file;
  try {
    real = path.join(fs.realpathSync(path.dirname(file)), path.basename(file));
  } catch (e) {
    // a vanished directory keeps the name jest gave it
  }
  if (TOP && !topResolved) {
    topResolved = true;
    try {
      TOP = fs.realpathSync(TOP);
    } catch (e) {
      // ids stay relative to the top as ftrace named it
    }
  }
  if (TOP) {
    const rel = path.relative(TOP, real);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  }
  return real;
}

// ts-jest parses each tsconfig once per worker, for its life
// (TsJestTransformer._cachedConfigSets): only the worker's first test file
// would read tsconfig.json and what it extends.  Read them again in each
// later file: that file compiles with them.  Found by a probe: an edit of
// tsconfig.json selected one test file of each worker.
const TS_JEST = `${path.sep}ts-jest${path.sep}dist${path.sep}legacy${path.sep}ts-jest-transformer.js`;
const TYPESCRIPT = `${path.sep}typescript${path.sep}lib${path.sep}typescript.js`;

// Stat every file node has loaded so far: a cached module is read by no
// later test file, yet every later test file runs its code.  Returns the
// exports of ts-jest's transformer and of TypeScript where loaded
// (readTsConfigs).
function touchLoaded() {
  const found = { tsJest: null, ts: null };
  for (const f of Object.keys(require.cache)) {
    try {
      if (path.isAbsolute(f)) fs.statSync(f, { throwIfNoEntry: false });
    } catch (e) {
      // unreadable now: the failed stat is recorded as what it is
    }
    if (f.endsWith(TS_JEST)) found.tsJest = require.cache[f].exports;
    else if (f.endsWith(TYPESCRIPT)) found.ts = require.cache[f].exports;
  }
  return found;
}

// The tsconfig of each of ts-jest's cached config sets (touchLoaded's
// `loaded`), and what it extends.
function readTsConfigs(loaded) {
  const T = loaded.tsJest && loaded.tsJest.TsJestTransformer;
  const ts = loaded.ts;
  const sets = T && Array.isArray(T._cachedConfigSets) ? T._cachedConfigSets : [];
  const seen = new Set();
  for (const cs of sets) {
    const parsed = cs && cs.configSet && cs.configSet.parsedTsConfig;
    const file = parsed && parsed.options && parsed.options.configFilePath;
    if (typeof file === 'string') readTsConfig(file, ts, seen);
  }
}

// Read one tsconfig and, through its "extends", every file it builds on
// (TypeScript's own reader, comments allowed), as a test file's reads.
function readTsConfig(file, ts, seen) {
  if (seen.has(file) || seen.size > 32) return;
  seen.add(file);
  let config = null;
  try {
    if (ts && typeof ts.readConfigFile === 'function' && ts.sys) {
      config = ts.readConfigFile(file, ts.sys.readFile).config;
    } else {
      fs.readFileSync(file);
    }
  } catch (e) {
    return;
  }
  const ext = config && config.extends;
  const dir = path.dirname(file);
  for (const e of Array.isArray(ext) ? ext : ext ? [ext] : []) {
    if (typeof e !== 'string') continue;
    let next = null;
    if (e.startsWith('.') || path.isAbsolute(e)) {
      next = path.resolve(dir, e);
      if (!next.endsWith('.json') && !fs.existsSync(next)) next += '.json';
    } else {
      for (const name of [e, `${e}/tsconfig.json`]) {
        try {
          next = require.resolve(name, { paths: [dir] });
          break;
        } catch (err) {
          next = null;
        }
      }
    }
    if (next) readTsConfig(next, ts, seen);
  }
}

// TypeScript's own reads, for the worker's life.  ts-jest's language
// service builds one program per worker and keeps it: the files the
// tsconfig includes (a global .d.ts no test imports), @types packages, the
// lib files and every .d.ts an import reaches are read, listed and probed
// once, during the worker's first test file, yet every later file compiles
// with them.  Found by a probe (a global declaration added under src/
// failed 40 test files and selected 1 of each worker).  So ts.sys is
// wrapped when TypeScript loads, and each test file repeats what it did
// so far: a stat of each file read or probed (a stat of a regular file is
// a content dependency; of a missing one, an absence), a listing of each
// directory asked for, and each readDirectory call again.
const TS_SEEN_MAX = 100000;
const tsSeen = { files: new Set(), dirs: new Set(), walks: new Map(), readDirectory: null,
                 over: false };

function tsNote(set, p) {
  if (typeof p !== 'string' || set.has(p)) return;
  if (set.size >= TS_SEEN_MAX) tsSeen.over = true;
  else set.add(p);
}

function wrapTsSys(ts) {
  const sys = ts && ts.sys;
  if (!sys || sys.__ftrace) return;
  try {
    for (const name of ['readFile', 'fileExists', 'directoryExists', 'realpath']) {
      const f = sys[name];
      if (typeof f !== 'function') continue;
      sys[name] = function ftraceTsSys(p) {
        tsNote(tsSeen.files, p);
        return f.apply(this, arguments);
      };
    }
    const dirs = sys.getDirectories;
    if (typeof dirs === 'function') {
      sys.getDirectories = function ftraceTsDirs(p) {
        tsNote(tsSeen.dirs, p);
        return dirs.apply(this, arguments);
      };
    }
    const walk = sys.readDirectory;
    if (typeof walk === 'function') {
      tsSeen.readDirectory = walk;
      sys.readDirectory = function ftraceTsWalk() {
        const args = Array.from(arguments);
        let key = null;
        try {
          key = JSON.stringify(args);
        } catch (e) {
          tsSeen.over = true;
        }
        if (key !== null && !tsSeen.walks.has(key)) {
          if (tsSeen.walks.size >= 1000) tsSeen.over = true;
          else tsSeen.walks.set(key, args);
        }
        return walk.apply(this, arguments);
      };
    }
    sys.__ftrace = true;
  } catch (e) {
    tsSeen.over = true; // a sys we cannot wrap: every test file says so
  }
}

// In a test file's context: what TypeScript read, probed and listed so far
// in this worker.  A worker whose record overflowed marks the file
// untraced instead (always selected).
function replayTs() {
  if (tsSeen.over) {
    control('untraced');
    return;
  }
  for (const f of tsSeen.files) {
    try {
      fs.statSync(f, { throwIfNoEntry: false });
    } catch (e) {
      // recorded as what it is
    }
  }
  for (const d of tsSeen.dirs) {
    try {
      fs.readdirSync(d);
    } catch (e) {
      // recorded as what it is
    }
  }
  for (const args of tsSeen.walks.values()) {
    try {
      tsSeen.readDirectory.apply(null, args);
    } catch (e) {
      // recorded as what it is
    }
  }
}

// node's own resolution of package names, for the worker's life.  jest's
// toolchain (babel-jest, babel's presets and plugins, the environment, the
// transformers) is loaded by node's require, once per worker, during its
// first test file: node keeps the paths it found (Module._pathCache), each
// package.json it read and each realpath for the process's life, so no
// later file looks again.  touchLoaded's stats cover the loaded files'
// content, not what chose them: a package.json whose "main" or "type"
// changed, a file that now shadows a package (node_modules/x.js beside
// node_modules/x/), a package's symlink pointed elsewhere (npm link, pnpm)
// each broke every later file of a worker and selected its first only (a
// probe of luxon).  So each bare name node looked up is noted, and every
// test file looks it up again the way node does: in each directory of the
// lookup path up to the one that has it, the name and its extensions (a
// file there wins over the package), the package's directory and its
// package.json, and each symlink from the lookup directory down to it.
const NODE_SEEN_MAX = 20000;
const nodeSeen = { lookups: new Map(), over: false };

function bareName(request) {
  return typeof request === 'string' && request !== '' && !request.startsWith('.') &&
    !path.isAbsolute(request) && !request.startsWith('node:');
}

function wrapFindPath() {
  const find = Module._findPath;
  if (typeof find !== 'function' || find.__ftrace) return;
  const wrapped = function ftraceFindPath(request, paths) {
    if (bareName(request) && Array.isArray(paths)) {
      const key = request + '\0' + paths.join('\0');
      if (!nodeSeen.lookups.has(key)) {
        if (nodeSeen.lookups.size >= NODE_SEEN_MAX) nodeSeen.over = true;
        else nodeSeen.lookups.set(key, [request, paths.slice()]);
      }
    }
    return find.apply(this, arguments);
  };
  wrapped.__ftrace = true;
  Module._findPath = wrapped;
}

function statQuiet(p, done) {
  if (done.has(p)) return done.get(p);
  let st = null;
  try {
    st = fs.statSync(p, { throwIfNoEntry: false }) || null;
  } catch (e) {
    // recorded as what it is
  }
  done.set(p, st);
  return st;
}

// The links from a lookup directory (node_modules) down to a package's
// directory (through its @scope): each one that is a symlink is read, by
// lstat and readlink (pnpm, npm link and workspaces link packages).
function readLinks(dir, pkg, done) {
  let p = dir;
  for (const part of ['', ...pkg.split('/')]) {
    p = part ? path.join(p, part) : p;
    const k = 'l:' + p;
    if (done.has(k)) continue;
    done.set(k, true);
    try {
      if (fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) fs.readlinkSync(p);
    } catch (e) {
      // recorded as what it is
    }
  }
}

// In a test file's context: node's lookups of package names so far in
// this worker, again (see above).  A worker whose record overflowed marks
// the file untraced instead (always selected).
function replayNode() {
  if (nodeSeen.over) {
    control('untraced');
    return;
  }
  const exts = Object.keys(Module._extensions || { '.js': 1, '.json': 1, '.node': 1 });
  const done = new Map();
  for (const [request, paths] of nodeSeen.lookups.values()) {
    const parts = request.split('/');
    const pkg = request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    for (const dir of paths) {
      if (typeof dir !== 'string') continue;
      const base = path.join(dir, request);
      statQuiet(base, done);
      for (const e of exts) statQuiet(base + e, done);
      const root = path.join(dir, pkg);
      const st = statQuiet(root, done);
      if (st && st.isDirectory()) {
        statQuiet(path.join(root, 'package.json'), done);
        // node took the realpath of what it found (and keeps it): a
        // symlink on the way, read again, is a dependency of its target
        readLinks(dir, pkg, done);
        break;
      }
    }
  }
}

// Every resolver made in this process (jest-resolve's class is replaced
// by a subclass that notes its instances; a few per project and process).
const resolvers = new Set();

function wrapResolver(Resolver) {
  if (typeof Resolver !== 'function' || Resolver.__ftrace) return Resolver;
  class FtraceResolver extends Resolver {
    constructor(...args) {
      super(...args);
      if (resolvers.size < 1000) resolvers.add(this);
      else resolvers.over = true;
    }
  }
  FtraceResolver.__ftrace = true;
  return FtraceResolver;
}

function clearResolverCaches(resolver) {
  const R = resolver && resolver.constructor;
  if (R && typeof R.clearDefaultResolverCache === 'function') R.clearDefaultResolverCache();
  for (const k of ['_moduleNameCache', '_modulePathCache', '_moduleIDCache']) {
    if (resolver && resolver[k] instanceof Map) resolver[k].clear();
  }
}

// jest's own duration of the file in ms (perfStats.runtime: from before
// its setupFiles to after its tests, what jest prints and its --json
// reports), as the control path takes it: 1 to 9 digits; '' when jest
// gave none that fits (ftrace then measures the file itself).
function durationOf(result) {
  const ps = result && result.perfStats;
  const ms = ps && ps.runtime;
  return Number.isInteger(ms) && ms >= 0 && ms < 1e9 ? '.' + ms : '';
}

function outcomeOf(result) {
  if (!result || result.testExecError) return OUTCOME.error;
  if (result.numFailingTests > 0) return OUTCOME.failed;
  if (result.skipped) return OUTCOME.skipped;
  return OUTCOME.passed;
}

// Environment variables (docs/jest.md, "Environment variables"): jest
// copies the whole environment into each test file's sandboxed
// process.env (jest-util's createProcessObject), and node reads every
// variable with getenv to do it, which would make each test file depend on
// every variable.  The copy runs inside a copy window (.ctl/env-copy: the
// interposer records no read), and the copy is wrapped in a Proxy that
// reports each name the test file reads (.ctl/env/<name>), and "=" (the
// whole environment) when it lists them.  If the Proxy cannot be put in
// place, "=" is reported at once.
const envSeen = new Set();
function envNote(name) {
  if (typeof name !== 'string' || envSeen.has(name) || envSeen.has('=')) return; // '=' holds all
  envSeen.add(name);
  control('env/' + name);
}

function envProxy(env) {
  return new Proxy(env, {
    get(t, k, r) { envNote(k); return Reflect.get(t, k, r); },
    has(t, k) { envNote(k); return Reflect.has(t, k); },
    getOwnPropertyDescriptor(t, k) { envNote(k); return Reflect.getOwnPropertyDescriptor(t, k); },
    ownKeys(t) { envNote('='); return Reflect.ownKeys(t); },
  });
}

let processObjectHooked = false; // jest 29: createProcessObject is a module

function wrapProcessObject(create) {
  if (create.__ftrace) return create;
  processObjectHooked = true;
  const wrapped = function ftraceCreateProcessObject() {
    let proc;
    control('env-copy');
    try {
      proc = create.apply(this, arguments);
    } finally {
      control('env-copy-end');
    }
    try {
      proc.env = envProxy(proc.env);
      if (!proc.env || typeof proc.env !== 'object') throw new Error('no env');
    } catch (e) {
      envNote('=');
    }
    return proc;
  };
  wrapped.__ftrace = true;
  return wrapped;
}

// jest 30 bundles createProcessObject into jest-util; its export
// installCommonGlobals(global, ...) makes the file's process object with
// it, first thing.  The whole call runs in the copy window, and the copy's
// env is wrapped afterwards.
function wrapInstallGlobals(install) {
  if (install.__ftrace) return install;
  const wrapped = function ftraceInstallCommonGlobals(globalObject) {
    let ret;
    control('env-copy');
    try {
      ret = install.apply(this, arguments);
    } finally {
      control('env-copy-end');
    }
    try {
      const proc = globalObject && globalObject.process;
      if (!proc || !proc.env || typeof proc.env !== 'object') throw new Error('no env');
      proc.env = envProxy(proc.env);
    } catch (e) {
      envNote('=');
    }
    return ret;
  };
  wrapped.__ftrace = true;
  return wrapped;
}

// A test file's begin, before jest reads it.  Returns its id, for fileEnd.
function fileBegin(file, globalConfig) {
  const id = testId(file);
  envSeen.clear();
  control('begin/' + id);
  // jest -t: only the tests whose names match ran, so what the file read
  // is not the whole file's (always selected until a run of the whole)
  if (globalConfig && typeof globalConfig.testNamePattern === 'string' &&
      globalConfig.testNamePattern !== '') {
    control('partial');
  }
  return id;
}

// Inside the file's context, before it runs: the steps that keep
// attribution sound across the worker's caches (see above).  `resolver`
// is the file's own where the caller has it; every resolver jest-resolve
// made in this process (jest 30's worker does not hand its own over) is
// cleared as well.
function filePrepare(resolver) {
  clearResolverCaches(resolver);
  for (const r of resolvers) clearResolverCaches(r);
  if (resolvers.over) control('untraced'); // some were not noted
  const loaded = touchLoaded();
  try {
    readTsConfigs(loaded);
  } catch (e) {
    // another ts-jest's shape: docs/jest.md, "Limits"
  }
  replayTs();
  replayNode();
}

// A test file's end, with jest's result for it (null: none, an error).
function fileEnd(id, result) {
  if (bundledHooksMissing()) control('untraced'); // docs/jest.md, "jest 30"
  const outcome = result ? outcomeOf(result) : OUTCOME.error;
  control('end/' + outcome + (result ? durationOf(result) : '') + '/' + id);
  envSeen.clear();
}

// Wrap run, a function that runs one test file and resolves to jest's
// result for it; which(args) names the file, its globalConfig and its
// resolver (null: not handed over) from run's arguments.
function wrapFileRun(run, which) {
  if (run.__ftrace) return run;
  const wrapped = async function ftraceFileRun(...args) {
    const w = which(args);
    const id = fileBegin(w.file, w.globalConfig);
    let result = null;
    try {
      filePrepare(w.resolver);
      result = await run.apply(this, args);
      return result;
    } finally {
      fileEnd(id, result);
    }
  };
  wrapped.__ftrace = true;
  return wrapped;
}

// jest 29: jest-runner's runTest(path, globalConfig, config, resolver,
// ...), a module of its own, runs one test file.
function wrap(runTest) {
  return wrapFileRun(runTest, (a) => ({ file: a[0], globalConfig: a[1], resolver: a[3] }));
}

// jest 30 bundles runTest into jest-runner's index.js and testWorker.js,
// out of require's reach.  In a worker process, testWorker.js's export
// `worker({config, globalConfig, path, context})` runs one test file.
function wrapWorker(worker) {
  return wrapFileRun(worker, (a) => ({ file: a[0] && a[0].path,
                                       globalConfig: a[0] && a[0].globalConfig, resolver: null }));
}

// jest 30 in band (-i): jest-runner's TestRunner runs each file in jest's
// own process, between its events 'test-file-start' (awaited before the
// file starts) and 'test-file-success' or 'test-file-failure' (after it
// ended).  The class is replaced by a subclass that listens to them when
// the run is serial; with workers the same events come in the parent for
// files other processes run, and mark nothing.
function wrapTestRunner(TestRunner) {
  if (typeof TestRunner !== 'function' || TestRunner.__ftrace ||
      !TestRunner.prototype || typeof TestRunner.prototype.runTests !== 'function' ||
      typeof TestRunner.prototype.on !== 'function') {
    return TestRunner;
  }
  class FtraceTestRunner extends TestRunner {
    constructor(...args) {
      super(...args);
      let serial = false;
      const open = new Map(); // test path -> id
      this.__ftraceSerial = (on) => { serial = on; };
      this.on('test-file-start', (data) => {
        const test = Array.isArray(data) ? data[0] : null;
        if (!serial || !test || typeof test.path !== 'string') return;
        open.set(test.path, fileBegin(test.path, this._globalConfig));
        try {
          filePrepare(test.context && test.context.resolver);
        } catch (e) {
          control('untraced'); // its caches could not be cleared
        }
      });
      const done = (data, ok) => {
        const test = Array.isArray(data) ? data[0] : null;
        if (!test || !open.has(test.path)) return;
        const id = open.get(test.path);
        open.delete(test.path);
        fileEnd(id, ok ? data[1] : null);
      };
      this.on('test-file-success', (data) => done(data, true));
      this.on('test-file-failure', (data) => done(data, false));
    }
    async runTests(tests, watcher, options) {
      this.__ftraceSerial(!!(options && options.serial));
      return super.runTests(tests, watcher, options);
    }
  }
  FtraceTestRunner.__ftrace = true;
  return FtraceTestRunner;
}

// jest-haste-map's crawl (in jest's own process, and in its haste worker
// processes with -w N): it stats, lists and reads every file under the
// roots to find tests and module names.  As content that would make every
// test depend on every file; the scan context makes them types, and new
// tests are found by `ftrace affected --format jest` instead.
let scans = 0;
function wrapBuild(HasteMap) {
  const proto = HasteMap && HasteMap.prototype;
  if (!proto || typeof proto.build !== 'function' || proto.build.__ftrace) return;
  const build = proto.build;
  proto.build = function ftraceBuild() {
    if (scans++ === 0) control('scan');
    let p;
    try {
      p = build.apply(this, arguments);
    } catch (e) {
      if (--scans === 0) control('context');
      throw e;
    }
    const done = () => {
      if (--scans === 0) control('context');
    };
    Promise.resolve(p).then(done, done);
    return p;
  };
  proto.build.__ftrace = true;
}

// createScriptTransformer, which runTest calls for each test file: the
// transformer it makes starts with an empty in-memory map (see above).
function wrapCreateTransformer(create) {
  if (create.__ftrace) return create;
  const wrapped = async function ftraceCreateScriptTransformer() {
    const t = await create.apply(this, arguments);
    try {
      const files = t && t._cache && t._cache.transformedFiles;
      if (files && typeof files.clear === 'function') files.clear();
    } catch (e) {
      // another jest's shape: its cache stays (docs/jest.md, "Limits")
    }
    return t;
  };
  wrapped.__ftrace = true;
  return wrapped;
}

const HASTE_WORKER = `${path.sep}jest-haste-map${path.sep}build${path.sep}worker.js`;
const RUNNER_DIR = `${path.sep}jest-runner${path.sep}build${path.sep}`;
const RUNNER_WORKER = `${RUNNER_DIR}testWorker.js`;
const RUNNER_INDEX = `${RUNNER_DIR}index.js`;

// Replace the export `name` of a module just loaded.  jest 30's webpack
// bundles define their exports as getters that cannot be redefined: then
// the module's exports are replaced by a copy, in node's module cache too,
// so that every later require gets the copy.  Returns what the caller
// gets, and whether the export is now `value`.
function setExport(exp, name, value, request, parent, isMain) {
  const d = Object.getOwnPropertyDescriptor(exp, name);
  if (d && d.writable) {
    exp[name] = value;
    return { exp, done: exp[name] === value };
  }
  let mod = null;
  try {
    mod = require.cache[Module._resolveFilename(request, parent, isMain)];
  } catch (e) {
    // not resolvable again: left as it is
  }
  if (!mod || mod.exports !== exp) return { exp, done: false };
  const copy = {};
  for (const k of Reflect.ownKeys(exp)) {
    const kd = Object.getOwnPropertyDescriptor(exp, k);
    kd.configurable = true;
    Object.defineProperty(copy, k, kd);
  }
  Object.defineProperty(copy, name, { value, writable: true, enumerable: true, configurable: true });
  mod.exports = copy;
  return { exp: copy, done: true };
}

// jest 30 (its runner bundled): each hook that keeps attribution sound
// must be in place by the end of a test file, or the file is untraced.
let bundled = false;
let runTestHooked = false; // jest 29
const hooked = { transform: false, env: false, resolver: false };

function bundledHooksMissing() {
  return bundled && !(hooked.transform && (hooked.env || processObjectHooked) && hooked.resolver);
}

function install() {
  let isMain = true;
  try {
    isMain = require('worker_threads').isMainThread;
  } catch (e) {
    // no worker_threads: the main thread
  }
  if (!RUN_DIR || !isMain) return;
  wrapFindPath();
  const load = Module._load;
  Module._load = function ftraceLoad(request, parent, isMainModule) {
    const exp = load.apply(this, arguments);
    if (request === './runTest' && parent && parent.filename &&
        parent.filename.includes(`${path.sep}jest-runner${path.sep}`) &&
        exp && typeof exp.default === 'function') {
      exp.default = wrap(exp.default);
      runTestHooked = true;
    } else if (request === './createProcessObject' && parent && parent.filename &&
               parent.filename.includes(`${path.sep}jest-util${path.sep}`) &&
               exp && typeof exp.default === 'function') {
      exp.default = wrapProcessObject(exp.default);
    } else if (request === './ScriptTransformer' && parent && parent.filename &&
               parent.filename.includes(`${path.sep}@jest${path.sep}transform${path.sep}`) &&
               exp && typeof exp.createScriptTransformer === 'function') {
      exp.createScriptTransformer = wrapCreateTransformer(exp.createScriptTransformer);
    } else if (request === '@jest/transform' && exp &&
               typeof exp.createScriptTransformer === 'function') {
      // jest 30: ScriptTransformer is no module of its own (jest 29's
      // export is wrapped above already, and stays so)
      const f = exp.createScriptTransformer;
      const r = f.__ftrace ? { exp, done: true }
        : setExport(exp, 'createScriptTransformer', wrapCreateTransformer(f), request, parent, isMainModule);
      hooked.transform = r.done;
      return r.exp;
    } else if (request === 'jest-util' && exp && typeof exp.installCommonGlobals === 'function') {
      if (processObjectHooked) return exp; // jest 29: createProcessObject is wrapped
      const r = setExport(exp, 'installCommonGlobals', wrapInstallGlobals(exp.installCommonGlobals),
                          request, parent, isMainModule);
      hooked.env = r.done;
      return r.exp;
    } else if (request === 'jest-resolve' && exp && typeof exp.default === 'function') {
      const r = setExport(exp, 'default', wrapResolver(exp.default), request, parent, isMainModule);
      hooked.resolver = r.done;
      return r.exp;
    } else if (typeof request === 'string' && request.endsWith(RUNNER_WORKER) &&
               exp && typeof exp.worker === 'function') {
      // jest 30's worker process (jest 29's runs the wrapped runTest)
      if (!runTestHooked) {
        bundled = true;
        return setExport(exp, 'worker', wrapWorker(exp.worker), request, parent, isMainModule).exp;
      }
    } else if (typeof request === 'string' &&
               (request === 'jest-runner' || request.endsWith(RUNNER_INDEX)) &&
               exp && typeof exp.default === 'function') {
      // jest 30 in band (jest 29's index.js loaded ./runTest, wrapped above)
      if (!runTestHooked) {
        bundled = true;
        return setExport(exp, 'default', wrapTestRunner(exp.default), request, parent, isMainModule).exp;
      }
    } else if (exp && typeof exp === 'object' && exp.sys && !exp.sys.__ftrace &&
               typeof exp.createLanguageService === 'function') {
      wrapTsSys(exp); // TypeScript, whatever its name (ts-jest's compiler option)
    } else if (request === 'jest-haste-map' && exp) {
      wrapBuild(exp.default);
    } else if (typeof request === 'string' && request.endsWith(HASTE_WORKER)) {
      // a haste worker process only scans, until it exits
      control('scan');
    }
    return exp;
  };
}

install();
