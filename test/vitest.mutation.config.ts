import { defineConfig } from 'vitest/config'

/** Test files that replace a module (vi.mock): they need a module cache of their own. */
const MOCKING = ['test/unit/crud-commands.test.ts', 'test/unit/patch-locate.test.ts', 'test/unit/crud-sessions.test.ts']

/**
 * The unit tests Stryker runs against each mutant (`npm run mutation`). Not the integration tests:
 * they need etcd, BIRD and the Kubernetes test server, and take minutes a run. Not the decode fuzz
 * test either: it asserts only that no JavaScript error escapes, yet takes half the unit suite's
 * time and covers nearly every mutant of src/resources, so it would run in full for each survivor.
 * The other files share one module cache (isolate: false), which makes a mutant run a fifth faster.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/decode-fuzz.test.ts', ...MOCKING],
          isolate: false,
        },
      },
      { test: { name: 'mocking', include: MOCKING } },
    ],
  },
})
