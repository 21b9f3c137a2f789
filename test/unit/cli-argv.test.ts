import { describe, expect, it } from 'vitest'
import { type FlagValues, resolveArgv } from '../../src/cli/argv.js'
import { fixtureTree } from './cli-fixture.js'

const root = fixtureTree()

/** The resolution in a form a table can hold: what runs, whose help, or the error text. */
function outcome(argv: string[]): { run: string; flags: FlagValues; args: string[]; as?: string } | { help: string } | { error: string } {
  const r = resolveArgv(root, argv)
  if (r.type === 'error') return { error: r.message }
  if (r.type === 'help') return { help: r.command.id }
  const run = { run: r.command.id, flags: r.flags, args: r.args }
  return r.calledAs === r.command.name ? run : { ...run, as: r.calledAs }
}

describe('the command line, read as cobra and pflag read it', () => {
  it.each<[string[], ReturnType<typeof outcome>]>([
    // Root flags before, between and after the command words, in every form pflag accepts.
    [['get', 'ippool'], { run: 'get', flags: {}, args: ['ippool'] }],
    [['-l', 'debug', 'get', 'ippool'], { run: 'get', flags: { 'log-level': 'debug' }, args: ['ippool'] }],
    [['get', '-ldebug', 'ippool'], { run: 'get', flags: { 'log-level': 'debug' }, args: ['ippool'] }],
    [['get', 'ippool', '--log-level=info'], { run: 'get', flags: { 'log-level': 'info' }, args: ['ippool'] }],
    [['-l=warn', 'version'], { run: 'version', flags: { 'log-level': 'warn' }, args: [] }],
    [['--allow-version-mismatch', 'datastore', 'migrate', 'lock'], { run: 'datastore:migrate:lock', flags: { 'allow-version-mismatch': true }, args: [] }],
    [['datastore', '--context', 'prod', 'migrate', '-c', '/x.cfg', 'unlock'], { run: 'datastore:migrate:unlock', flags: { context: 'prod', config: '/x.cfg' }, args: [] }],
    [['datastore', 'migrate', 'lock', '--allow-version-mismatch=false'], { run: 'datastore:migrate:lock', flags: { 'allow-version-mismatch': false }, args: [] }],
    // Shorthands combine; a value may start with a dash; the last value wins; `--` ends flags.
    [['get', '-Ao', 'yaml', 'networkpolicy'], { run: 'get', flags: { 'all-namespaces': true, output: 'yaml' }, args: ['networkpolicy'] }],
    [['get', '-a', 'networkpolicy'], { run: 'get', flags: { 'all-namespaces': true }, args: ['networkpolicy'] }],
    [['get', '-n', '-h', 'networkpolicy'], { run: 'get', flags: { namespace: '-h' }, args: ['networkpolicy'] }],
    [['get', '-o', 'yaml', 'node', '--output=json'], { run: 'get', flags: { output: 'json' }, args: ['node'] }],
    [['get', 'node', '--', '-o', '--help'], { run: 'get', flags: {}, args: ['node', '-o', '--help'] }],
    [['get', '', '-'], { run: 'get', flags: {}, args: ['', '-'] }],
    // Commands without an Args rule take any arguments, as cobra's legacyArgs lets them.
    [['version', 'extra'], { run: 'version', flags: {}, args: ['extra'] }],
    [['help', 'ipam', 'show'], { run: 'help', flags: {}, args: ['ipam', 'show'] }],
    // The completion request takes everything raw and knows how it was called.
    [['__complete', 'get', '-o', ''], { run: '__complete', flags: {}, args: ['get', '-o', ''] }],
    [['__completeNoDesc', '--bogus', ''], { run: '__complete', flags: {}, args: ['--bogus', ''], as: '__completeNoDesc' }],
  ])('%j runs', (argv, expected) => {
    expect(outcome(argv)).toEqual(expected)
  })

  it.each<[string[], string]>([
    [[], ''],
    [['-h'], ''],
    [['--help'], ''],
    [['--allow-version-mismatch', '-h'], ''],
    [['-l', 'bogus'], ''],
    [['get', '-h'], 'get'],
    [['get', 'ippool', '--help', '-o', 'yaml'], 'get'],
    [['datastore', 'migrate', 'lock', '-h'], 'datastore:migrate:lock'],
    [['--allow-version-mismatch', 'datastore', 'migrate'], 'datastore:migrate'],
    // Grouping commands print their help for words they do not know.
    [['ipam', 'junk'], 'ipam'],
    [['completion', 'junk'], 'completion'],
    // cobra looks for the command before it knows -h, so `-h` takes the next word as its value.
    [['-h', 'get'], ''],
    [['datastore', '-h', 'migrate', 'lock'], 'datastore'],
  ])('%j prints the help of %j', (argv, id) => {
    expect(outcome(argv)).toEqual({ help: id })
  })

  it.each<[string[], string]>([
    [['foo'], 'unknown command "foo" for "calicoctl"'],
    [['ge'], 'unknown command "ge" for "calicoctl"\n\nDid you mean this?\n\tget\n'],
    [['verison'], 'unknown command "verison" for "calicoctl"\n\nDid you mean this?\n\tversion\n'],
    [['-l', 'debug', 'foo', 'get'], 'unknown command "foo" for "calicoctl"'],
    [['-h', 'get', 'ippool'], 'unknown command "ippool" for "calicoctl"'],
    [['--allow-version-mismatch', '-m'], "unknown shorthand flag: 'm' in -m"],
    [['get', '-Am'], "unknown shorthand flag: 'm' in -m"],
    [['get', '-mA'], "unknown shorthand flag: 'm' in -mA"],
    [['get', 'ippool', '--unknown-flag'], 'unknown flag: --unknown-flag'],
    [['--bad', 'get'], 'unknown flag: --bad'],
    [['ipam', '--bogus'], 'unknown flag: --bogus'],
    [['ipam', 'show', '-c'], "flag needs an argument: 'c' in -c"],
    [['get', '-l'], "flag needs an argument: 'l' in -l"],
    [['get', '--context'], 'flag needs an argument: --context'],
    [['get', '-h', '-o'], "flag needs an argument: 'o' in -o"],
    [['get', '---x'], 'bad flag syntax: ---x'],
    [['version', '--allow-version-mismatch=maybe'], 'invalid argument "maybe" for "--allow-version-mismatch" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['get', '-A=no'], 'invalid argument "no" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "no": invalid syntax'],
    [['ipam', 'configure', '--ip-cooldown-seconds', 'soon'], 'invalid argument "soon" for "--ip-cooldown-seconds" flag: strconv.ParseInt: parsing "soon": invalid syntax'],
    [['node', 'status', '-o', 'xml'], 'invalid argument "xml" for "-o, --output" flag: must be one of json, yaml'],
    [['patch', 'node'], 'accepts 2 arg(s), received 1'],
    [['patch', 'node', 'a', 'b', '-p', '{}'], 'accepts 2 arg(s), received 3'],
    [['label', 'node', 'a'], 'requires at least 3 arg(s), only received 2'],
    [['completion', 'bash', 'extra'], 'unknown command "extra" for "calicoctl completion bash"'],
    [['__complete'], 'requires at least 1 arg(s), only received 0'],
  ])('%j fails: %j', (argv, message) => {
    expect(outcome(argv)).toEqual({ error: message })
  })

  it('accepts a Go integer for an int flag, as pflag does', () => {
    expect(outcome(['ipam', 'configure', '--ip-cooldown-seconds=0x1e'])).toEqual({ run: 'ipam:configure', flags: { 'ip-cooldown-seconds': '0x1e' }, args: [] })
  })
})
