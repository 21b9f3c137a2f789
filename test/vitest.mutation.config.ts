import { defineConfig } from 'vitest/config'

/**
 * The unit tests Stryker runs against each mutant (`npm run mutation`). Not the integration tests:
 * they need etcd, BIRD and the Kubernetes test server, and take minutes a run. Not the decode fuzz
 * test either: it asserts only that no JavaScript error escapes, yet takes half the unit suite's
 * time and covers nearly every mutant of src/resources, so it would run in full for each survivor.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/decode-fuzz.test.ts'],
    isolate: false,
  },
})
