import { afterEach, describe, expect, it } from 'vitest'
import type { FlagValues } from '../../src/cli/argv.js'
import { CalicoCommand } from '../../src/cli/base.js'
import { setInvocation } from '../../src/cli/invocation.js'
import { Args, Flags } from '../../src/cli/oclif-definitions.js'
import { fixtureTree } from './cli-fixture.js'

const seconds = Flags.custom<number>({
  default: 5,
  parse: async (text) => {
    if (!/^\d+s$/.test(text)) throw new Error('use e.g. 2s')
    return Number(text.slice(0, -1))
  },
})

class Probe extends CalicoCommand {
  static override flags = {
    timeout: seconds(),
    name: Flags.string({ env: 'PROBE_NAME' }),
    quiet: Flags.boolean({ env: 'PROBE_QUIET' }),
  }
  static override args = { kind: Args.string(), name: Args.string() }
  async run() {
    return this.parse(Probe)
  }
}

class Strict extends CalicoCommand {
  static override flags = { must: Flags.string({ required: true }), also: Flags.string({ required: true }) }
  async run() {
    return this.parse(Strict)
  }
}

/** Runs the command's parse() with what the command line layer found. */
function parsed(command: typeof Probe | typeof Strict, flags: FlagValues, args: string[] = []) {
  const root = fixtureTree()
  setInvocation({ root, command: root, calledAs: 'probe', flags, args })
  return new command().run()
}

describe("a command's flags and arguments, from the command line layer", () => {
  afterEach(() => {
    delete process.env.PROBE_NAME
    delete process.env.PROBE_QUIET
  })

  it('names the positional arguments, applies defaults and the root flags', async () => {
    const out = await parsed(Probe, { 'log-level': 'info' }, ['ippool', 'p1', 'extra'])
    expect(out.args).toEqual({ kind: 'ippool', name: 'p1' })
    expect(out.argv).toEqual(['ippool', 'p1', 'extra'])
    // As oclif's parser leaves them: flags without a value or default are undefined.
    expect(out.flags).toEqual({ timeout: 5, name: undefined, quiet: undefined, 'log-level': 'info', context: undefined, 'allow-version-mismatch': undefined })
  })

  it("reads values through the flag's own parsing, and environment variables when a flag is not given", async () => {
    process.env.PROBE_NAME = 'from-env'
    process.env.PROBE_QUIET = 'yes'
    expect((await parsed(Probe, { timeout: '7s' })).flags).toMatchObject({ timeout: 7, name: 'from-env', quiet: true })
    expect((await parsed(Probe, { name: 'given', quiet: false })).flags).toMatchObject({ name: 'given', quiet: false })
  })

  it("fails in pflag's words on a value the flag rejects, and on missing required flags", async () => {
    await expect(parsed(Probe, { timeout: 'soon' })).rejects.toThrow('invalid argument "soon" for "--timeout" flag: use e.g. 2s')
    await expect(parsed(Strict, { also: 'x' })).rejects.toThrow('required flag(s) "must" not set')
    await expect(parsed(Strict, {})).rejects.toThrow('required flag(s) "must", "also" not set')
  })
})
