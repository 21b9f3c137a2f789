import { describe, expect, it } from 'vitest'
import { executeTemplate } from '../../src/output/go-template/index.js'
import { resultsValue } from '../../src/output/go-template/resource-values.js'
import { sprintf } from '../../src/output/go-template/fmt.js'
import { BOOL, FLOAT64, INT, STRING, type GoValue } from '../../src/output/go-template/value.js'
import { knownKinds } from '../../src/resources/schema.js'
import type { Resource } from '../../src/resources/types.js'

const pool = (name: string, cidr: string, extra: Record<string, unknown> = {}): Resource =>
  ({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name, resourceVersion: '7', ...extra }, spec: { cidr, blockSize: 26 } }) as Resource
const list = (items: Resource[]) => resultsValue([{ kind: 'IPPool', result: { apiVersion: 'projectcalico.org/v3', kind: 'IPPoolList', metadata: { resourceVersion: '9' }, items } }])
const named = (...items: Resource[]) => resultsValue(items.map((result) => ({ kind: result.kind, result })))
const run = (text: string, data: GoValue = list([pool('a', '10.0.0.0/16'), pool('b', '10.1.0.0/16')])) => executeTemplate(text, data, () => '64512')
const fails = (text: string, data?: GoValue) => {
  try {
    run(text, data)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('no error')
}

describe('Go text/template over calicoctl results', () => {
  it('walks a list get as one <Kind>List with Go field names', () => {
    expect(run('{{range .}}{{range .Items}}{{.Spec.CIDR}},{{end}}{{end}}')).toBe('10.0.0.0/16,10.1.0.0/16,')
    // A declaration is not checked by safetext, so the length goes through a variable.
    expect(run('{{range .}}{{.Kind}} {{.ResourceVersion}} {{.ListMeta.ResourceVersion}} {{$n := len .Items}}{{$n}}{{end}}')).toBe('IPPoolList 9 9 2')
    expect(run('{{range .}}{{range .Items}}{{.ObjectMeta.Name}}={{.Name}} {{end}}{{end}}')).toBe('a=a b=b ')
  })

  it('walks named gets as the objects themselves', () => {
    expect(run('{{range .}}{{.Name}}:{{.Spec.BlockSize}} {{end}}', named(pool('x', '10.9.0.0/16')))).toBe('x:26 ')
    expect(run('{{$n := len .}}{{$n}}', named(pool('x', '10.9.0.0/16'), pool('y', '10.8.0.0/16')))).toBe('2')
  })

  it('gives unset fields their Go zero values', () => {
    const node = { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n1' }, spec: {} } as Resource
    expect(run('{{range .}}{{.Spec.BGP}}|{{.Labels}}|{{.Namespace}}|{{.CreationTimestamp.String}}{{end}}', named(node))).toBe('<nil>|map[]||0001-01-01 00:00:00 +0000 UTC')
  })

  it('prints metadata as fmt prints Go values', () => {
    const p = pool('a', '10.0.0.0/16', { labels: { z: '1', a: '2' }, creationTimestamp: '2026-01-01T00:00:00Z' })
    expect(run('{{range .}}{{.Labels}} {{.CreationTimestamp.String}} {{index .Labels "z"}}{{end}}', named(p))).toBe('map[a:2 z:1] 2026-01-01 00:00:00 +0000 UTC 1')
  })

  it('models every kind, empty or listed', () => {
    for (const kind of knownKinds()) {
      const doc = { apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'x' } } as Resource
      expect(run('{{range .}}{{.Kind}} {{.Name}}{{end}}', resultsValue([{ kind, result: doc }]))).toBe(`${kind} x`)
      const l = resultsValue([{ kind, result: { apiVersion: 'projectcalico.org/v3', kind: `${kind}List`, metadata: { resourceVersion: '1' }, items: [doc] } }])
      expect(run('{{range .}}{{.Kind}}{{range .Items}} {{.Name}}{{end}}{{end}}', l)).toBe(`${kind}List x`)
    }
  })

  it('prints the types with String methods as Go does', () => {
    const policy = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'p' },
      spec: { order: 100, ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80, '8000:8080', 'http'] } }] },
    } as Resource
    const text = '{{range .}}{{.Spec.Order}}|{{range .Spec.Ingress}}{{.Protocol}}{{range .Destination.Ports}} {{.}}{{end}}{{end}}{{end}}'
    expect(run(text, named(policy))).toBe('100|TCP 80 8000:8080 http')
    // The list itself is a slice of structs, which safetext's copy cannot store back.
    expect(fails('{{range .}}{{range .Spec.Ingress}}{{.Destination.Ports}}{{end}}{{end}}', named(policy))).toContain(
      'reflect.Set: value of type *numorstring.Port is not assignable to type numorstring.Port',
    )
  })

  it('has join, joinAndTruncate and config', () => {
    const p = pool('a', '10.0.0.0/16', { labels: { z: '1', a: '2' } })
    expect(run('{{range .}}{{join .Labels ","}}{{end}}', named(p))).toBe('a=2,z=1')
    expect(run('{{range .}}{{joinAndTruncate .Labels "," 5}}{{end}}', named(p))).toBe('a=...')
    expect(run('{{config "asnumber"}}')).toBe('64512')
    expect(fails('{{config "foo"}}')).toBe('template: get:1:2: executing "get" at <config "foo">: error calling config: unhandled config type')
  })
})

describe('text/template semantics (cases from Go exec_test.go)', () => {
  const d = named()
  it.each([
    ['{{"hello"}}', 'hello'],
    ['{{`raw`}}', 'raw'],
    ["{{'a'}}", '97'],
    ['{{1.5}} {{1e6}} {{0x10}} {{1_000}} {{0b101}} {{0o17}} {{017}} {{-2}}', '1.5 1e+06 16 1000 5 15 15 -2'],
    ['{{if true}}T{{else}}F{{end}}', 'T'],
    ['{{if 0}}T{{else if ""}}U{{else}}F{{end}}', 'F'],
    ['{{with $x := "v"}}{{$x}}{{end}}', 'v'],
    ['{{with ""}}x{{else with "y"}}{{.}}{{end}}', 'y'],
    ['{{range $i, $v := .}}{{$i}}{{else}}empty{{end}}', 'empty'],
    ['{{$x := 1}}{{$x = 2}}{{$x}}', '2'],
    ['{{- "a" }} {{- "b" -}} c', 'abc'],
    ['{{/* comment */}}x', 'x'],
    ['a  {{- /* trimmed */ -}}  b', 'ab'],
    ['{{- 3 -}} {{-3}}', '3-3'],
    ['{{and 1 0 2}} {{or 0 "" "z"}} {{not 0}}', '0 z true'],
    ['{{eq 1 2 3 1}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt 1.5 2.5}} {{ge "b" "a"}}', 'true true true true false true'],
    // Sprint puts spaces only between operands neither of which is a string.
    ['{{print 1 2 "a" "b" 3}}', '1 2ab3'],
    ['{{println 1 "a"}}', '1 a\n'],
    ['{{printf "%5s|%-4d|%q|%x|%.2f|%t|%v" "ab" 7 "q" "hi" 3.14159 true 1.0}}', '   ab|7   |"q"|6869|3.14|true|1'],
    // (Output starting with % would be a YAML directive, which safetext refuses.)
    ['x {{printf "%d"}} {{printf "%d" "s"}} {{printf "" 1}}', 'x %!d(MISSING) %!d(string=s) %!(EXTRA int=1)'],
    ['{{html "<a&b>"}} {{urlquery "a b&c"}} {{js "it\'s"}}', "&lt;a&amp;b&gt; a+b%26c it\\'s"],
    ['{{define "T"}}({{.}}){{end}}{{template "T" "x"}}{{block "B" 1}}-{{.}}{{end}}', '(x)-1'],
    ['{{range $i := 3}}{{$i}}{{end}}', '012'],
    ['{{"abc" | printf "%s-%s" "x"}}', 'x-abc'],
    ['{{slice "abcd" 1 3}} {{index "abc" 1}}', 'bc 98'],
    ['{{(1) | print}}', '1'],
  ])('%s', (text, want) => {
    expect(run(text, d)).toBe(want)
  })

  it('stops a range at break and skips on continue', () => {
    const p = list([pool('a', '1'), pool('b', '2'), pool('c', '3')])
    expect(run('{{range .}}{{range .Items}}{{if eq .Name "b"}}{{continue}}{{end}}{{if eq .Name "c"}}{{break}}{{end}}{{.Name}}{{end}}{{end}}', p)).toBe('a')
  })
})

describe("Go's parse and exec errors", () => {
  it.each([
    ['{{.Foo}', 'template: get:1: unexpected "}" in operand'],
    ['{{foo}}', 'template: get:1: function "foo" not defined'],
    ['{{if}}', 'template: get:1: missing value for if'],
    ['{{end}}', 'template: get:1: unexpected {{end}}'],
    ['{{range .}}', 'template: get:1: unexpected EOF'],
    ['{{$x}}', 'template: get:1: undefined variable "$x"'],
    ['\n{{"a}}', 'template: get:2: unterminated quoted string'],
    ['{{.X', 'template: get:1: unclosed action'],
    ['{{.X\n', 'template: get:2: unclosed action started at get:1'],
    ['{{break}}', 'template: get:1: {{break}} outside {{range}}'],
    ['{{3 | 4}}', 'template: get:1: non executable command in pipeline stage 2'],
  ])('parse %s', (text, want) => {
    expect(fails(text)).toBe(want)
  })

  it.each([
    ['{{range .}}{{range .Items}}{{.Spec.Foo}}{{end}}{{end}}', // The position is that of the chain's second field, as Go's parser records it.
      'template: get:1:34: executing "get" at <.Spec.Foo>: can\'t evaluate field Foo in type v3.IPPoolSpec'],
    ['{{range .}}{{.Foo}}{{end}}', 'template: get:1:13: executing "get" at <.Foo>: can\'t evaluate field Foo in type runtime.Object'],
    ['{{index . 5}}', 'template: get:1:2: executing "get" at <index . 5>: error calling index: index out of range: 5'],
    ['{{len 3}}', 'template: get:1:2: executing "get" at <len 3>: error calling len: len of type int'],
    ['{{join}}', 'template: get:1:2: executing "get" at <join>: wrong number of args for join: want 2 got 0'],
    ['{{eq 1 "a"}}', 'template: get:1:2: executing "get" at <eq 1 "a">: error calling eq: incompatible types for comparison'],
    ['{{template "nope"}}', 'template: get:1:11: executing "get" at <{{template "nope"}}>: template "nope" not defined'],
    ['{{join . 3}}', 'template: get:1:9: executing "get" at <3>: expected string; found 3'],
  ])('exec %s', (text, want) => {
    expect(fails(text)).toBe(want)
  })

  it('reports a nil pointer on the way', () => {
    const node = { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'n1' }, spec: {} } as Resource
    expect(fails('{{range .}}{{.Spec.BGP.IPv4Address}}{{end}}', named(node))).toBe(
      'template: get:1:18: executing "get" at <.Spec.BGP.IPv4Address>: nil pointer evaluating *internalapi.NodeBGPSpec.IPv4Address',
    )
  })
})

describe("safetext's YAML injection check", () => {
  it('accepts output that is not structured YAML at all', () => {
    expect(run('{{range .}}{{range .Items}}{{.Name}}\t{{.Spec.CIDR}}\n{{end}}{{end}}')).toBe('a\t10.0.0.0/16\nb\t10.1.0.0/16\n')
  })
  it("has safetext's own functions", () => {
    expect(run('x-{{StructuralData "a: b"}}')).toBe('x-a: b')
    expect(run('{{AllowFlags 1}}')).toBe('1')
    expect(fails('{{AllowFlags "a"}}')).toBe('template: get:1:2: executing "get" at <AllowFlags "a">: error calling AllowFlags: runtime error: invalid memory address or nil pointer dereference')
  })
  it('refuses output starting with a tab, which is no YAML', () => {
    expect(fails('\t{{range .}}{{range .Items}}{{.Name}}{{end}}{{end}}')).toBe('Invalid YAML Template')
  })
  it('refuses data in map keys', () => {
    expect(fails('{{range .}}{{range .Items}}{{.Name}}: {{.Spec.CIDR}}\n{{end}}{{end}}')).toBe('Invalid YAML Template')
    expect(fails('{{range .}}{{range .Items}}{{.Name}}: x\n{{end}}{{end}}', list([pool('a', '1')]))).toBe('YAML Injection Detected')
  })
  it("fails where safetext's deep copy stores a struct's copy (a pointer) back into a struct", () => {
    // DeepCopyMutateStrings returns a struct as a pointer to its copy; reflect refuses it in a struct field.
    expect(fails('{{range .}}{{.ObjectMeta}}{{end}}', named(pool('a', '1')))).toBe(
      'template: get:1:0: executing "get" at <ApplyInjectionDetection>: error calling ApplyInjectionDetection: reflect.Set: value of type *time.Time is not assignable to type time.Time',
    )
    expect(fails('{{range .}}{{len .Items}}{{end}}')).toContain('reflect.Set: value of type *v1.TypeMeta is not assignable to type v1.TypeMeta')
    expect(fails('{{range .}}{{.CreationTimestamp}}{{end}}', named(pool('a', '1')))).toContain('value of type *time.Time is not assignable to type time.Time')
    // Structs of plain fields (behind a pointer) copy fine.
    // (A leading `{` would make the output a YAML flow mapping, hence the prefix.)
    expect(run('{{range .}}{{range .Items}}spec={{.Spec}}{{end}}{{end}}', list([pool('a', '10.0.0.0/16')]))).toBe('spec={10.0.0.0/16   false false false 26   [] <nil>}')
  })
  it('refuses a value that turns a scalar into a mapping', () => {
    const p = pool('a', '1', { annotations: { note: 'a: b' } })
    expect(fails('{{range .}}{{.Annotations.note}}{{end}}', named(p))).toBe('YAML Injection Detected')
  })
})

describe('fmt verbs', () => {
  it.each([
    ['%v %d', [{ t: INT, v: 3n }, { t: INT, v: -4n }], '3 -4'],
    ['%05d|%+d|%x|%X|%o|%b', [{ t: INT, v: 42n }, { t: INT, v: 5n }, { t: INT, v: 255n }, { t: INT, v: 255n }, { t: INT, v: 8n }, { t: INT, v: 5n }], '00042|+5|ff|FF|10|101'],
    ['%6.2f|%e|%g', [{ t: FLOAT64, v: 3.14159 }, { t: FLOAT64, v: 1234.5678 }, { t: FLOAT64, v: 0.000001 }], '  3.14|1.234568e+03|1e-06'],
    ['%-5t|%s', [{ t: BOOL, v: true }, { t: STRING, v: 'x' }], 'true |x'],
    ['%z', [{ t: INT, v: 1n }], '%!z(int=1)'],
    ['%+v|%+d', [{ t: { kind: 'struct', name: 'p', fields: [{ name: 'A', type: INT }, { name: 'B', type: STRING }] }, v: [{ t: INT, v: 1n }, { t: STRING, v: 'x' }] }, { t: INT, v: 2n }], '{A:1 B:x}|+2'],
    ['%+v', [{ t: INT, v: 3n }], '3'],
  ])('%s', (format, args, want) => {
    expect(sprintf(format, args as GoValue[])).toBe(want)
  })
})
