'use strict'
// What bach-render uses of undici, and nothing else: the entry that scripts/bundle-packages.ts bundles
// into dist/api/undici.bundle.cjs (src/api/undici.ts loads it). undici's own index also loads fetch,
// WebSocket, EventSource, cookies, caches, mocks and proxy agents — twice the code, and twice the
// time to load (70 ms against 32 ms on a 2-core machine), in the submitter process on the way to a
// build's first create. These are undici's own modules, wired as its index wires them: the request
// API on every dispatcher (Dispatcher.request and the rest, documented in docs/api/Dispatcher.md).
// undici's package.json has no "exports" map, so these paths are public to require; a test
// (test/unit/api/undici-core.test.ts) sends requests through the bundle of the installed version.
const Dispatcher = require('undici/lib/dispatcher/dispatcher')
const Agent = require('undici/lib/dispatcher/agent')
const api = require('undici/lib/api')
const redirect = require('undici/lib/interceptor/redirect')

Object.assign(Dispatcher.prototype, api)

module.exports = { Agent, interceptors: { redirect } }
