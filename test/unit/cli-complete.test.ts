import { describe, expect, it } from 'vitest'
import { complete, Directive } from '../../src/cli/complete.js'
import { fixtureTree } from './cli-fixture.js'

const root = fixtureTree()
const completer = { kinds: async () => ['bgppeer', 'ippool', 'ipreservation', 'node'] }
const names = (candidates: string[]) => candidates.map((c) => c.split('\t')[0])

describe('__complete, answering as cobra does', () => {
  it.each<[string[], string[], number]>([
    // Subcommands, with root flags anywhere before them.
    [['ge'], ['get'], Directive.NoFileComp],
    [['-l', 'debug', 'datastore', 'migrate', ''], ['lock', 'unlock'], Directive.NoFileComp],
    [['completion', ''], ['bash', 'zsh'], Directive.NoFileComp],
    [['help', 'i'], ['ipam'], Directive.NoFileComp],
    [['help', 'ipam', ''], ['configure', 'show'], Directive.NoFileComp],
    // Flag names: inherited ones first, flags already given are not offered again.
    [['get', '--a'], ['--allow-version-mismatch', '--all-namespaces'], Directive.NoFileComp],
    [['get', '-A', '--a'], ['--allow-version-mismatch'], Directive.NoFileComp],
    [['version', '-'], ['--allow-version-mismatch', '--context', '--log-level', '-l', '--client', '--config', '-c', '--help', '-h'], Directive.NoFileComp],
    // Resource kinds for the KIND argument, nothing after it.
    [['get', 'ip'], ['ippool', 'ipreservation'], Directive.NoFileComp],
    [['patch', '-c', 'x', ''], ['bgppeer', 'ippool', 'ipreservation', 'node'], Directive.NoFileComp],
    [['get', 'ippool', ''], [], Directive.NoFileComp],
    // Flag values: the shell completes file names, or the values a flag allows.
    [['get', '-f', ''], [], Directive.Default],
    [['get', '--filename=po'], [], Directive.Default],
    [['node', 'status', '--output=j'], ['json'], Directive.NoFileComp],
    [['node', 'status', '-o', ''], ['json', 'yaml'], Directive.NoFileComp],
    // Nothing to offer after -h, nor after `--`, nor for a command without special arguments.
    [['get', '-h', ''], [], Directive.NoFileComp],
    [['version', ''], [], Directive.Default],
    [['completion', 'bash', ''], [], Directive.NoFileComp],
  ])('%j', async (argv, expected, directive) => {
    const result = await complete(root, argv, completer)
    expect({ names: names(result.candidates), directive: result.directive, error: result.error }).toEqual({ names: expected, directive, error: undefined })
  })

  it('describes subcommands and flags with their short texts', async () => {
    expect((await complete(root, ['ipam', 'sh'], completer)).candidates).toEqual(['show\tShow details of a Calico assigned IP address or overall IP usage'])
    expect((await complete(root, ['get', '--output'], completer)).candidates).toEqual(['--output\tOutput format: yaml, json, ps, wide'])
  })

  it('says why it has nothing for words it cannot place', async () => {
    expect(await complete(root, ['foo', 'bar', ''], completer)).toEqual({ candidates: [], directive: Directive.Default, error: 'unable to find a command for arguments: [foo bar]' })
    expect(await complete(root, ['get', '--nope=x'], completer)).toEqual({ candidates: [], directive: Directive.Default, error: "Subcommand 'get' does not support flag 'nope'" })
    expect(await complete(root, ['get', '--nope', ''], completer)).toEqual({
      candidates: [],
      directive: Directive.Default,
      error: 'Error while parsing flags from args [--nope]: unknown flag: --nope',
    })
  })
})
