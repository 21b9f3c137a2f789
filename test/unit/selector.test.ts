import { describe, expect, it } from 'vitest'
import { SelectorSyntaxError, parseSelector, validateSelector } from '../../src/selector/index.js'

function syntaxError(text: string): SelectorSyntaxError {
  try {
    parseSelector(text)
  } catch (err) {
    if (err instanceof SelectorSyntaxError) return err
    throw err
  }
  throw new Error(`selector ${JSON.stringify(text)} was accepted`)
}

describe('canonical form', () => {
  const cases: Array<[input: string, canonical: string]> = [
    // Blank selects everything.
    ['', 'all()'],
    [' \t ', 'all()'],
    ['all()', 'all()'],
    ['all( \t)', 'all()'],
    [' (all() )', 'all()'],
    ['global()', 'global()'],
    // Every operator, and quoting.
    ["a == 'b'", 'a == "b"'],
    ["a!='b'", 'a != "b"'],
    ["a contains 'b'", 'a contains "b"'],
    ["a starts with 'b'", 'a starts with "b"'],
    ["a ends with 'b'", 'a ends with "b"'],
    ["a startswith 'b'", 'a starts with "b"'],
    ["a endswith 'b'", 'a ends with "b"'],
    ["a starts \t with 'b'", 'a starts with "b"'],
    ["a contains'b'", 'a contains "b"'],
    ["a == ''", 'a == ""'],
    [`a == "it's"`, `a == "it's"`],
    [`a == 'say "hi"'`, `a == 'say "hi"'`],
    ['has(a)', 'has(a)'],
    ['has( \ta\t )', 'has(a)'],
    // Sets: sorted, de-duplicated, empty, trailing comma, both quote styles.
    ["k in {'a', 'b'}", 'k in {"a", "b"}'],
    ["k in {'d', 'a', 'b', 'a'}", 'k in {"a", "b", "d"}'],
    ["k in {'a',}", 'k in {"a"}'],
    ['k in {}', 'k in {}'],
    ['k in{ }', 'k in {}'],
    ["k not in {'b', 'a'}", 'k not in {"a", "b"}'],
    ["k notin {'a'}", 'k not in {"a"}'],
    ["k not \t in {'a'}", 'k not in {"a"}'],
    [`k in {"'", '"'}`, `k in {'"', "'"}`],
    // Bytewise (code point) order as in Go, not JavaScript's UTF-16 order.
    ["k in {'😀', '～'}", 'k in {"～", "😀"}'],
    // Keywords are ordinary label names in label position.
    ["in in {'a'}", 'in in {"a"}'],
    ["all == 'x'", 'all == "x"'],
    ["has == 'x'", 'has == "x"'],
    ["global != 'x'", 'global != "x"'],
    ["not in {'x'}", 'not in {"x"}'],
    ['has(has)', 'has(has)'],
    ["contains contains 'x'", 'contains contains "x"'],
    ["projectcalico.org/namespace == 'prod'", 'projectcalico.org/namespace == "prod"'],
    ["A_b-c.d/9 == 'v'", 'A_b-c.d/9 == "v"'],
    // Boolean structure and precedence.
    ["has(a) && b == 'c'", '(has(a) && b == "c")'],
    ["a == 'x' && b == 'y' && c == 'z'", '(a == "x" && b == "y" && c == "z")'],
    ["a == 'x' || b == 'y' || c == 'z'", '(a == "x" || b == "y" || c == "z")'],
    ["a == 'x' || b == 'y' && c == 'z'", '(a == "x" || (b == "y" && c == "z"))'],
    ["(a == 'x' || b == 'y') && c == 'z'", '((a == "x" || b == "y") && c == "z")'],
    ["!a == 'x' && b == 'y'", '(!a == "x" && b == "y")'],
    ["!(a == 'x' && b == 'y')", '!(a == "x" && b == "y")'],
    ["!(a == 'x')", '!a == "x"'],
    ['((has(a)))', 'has(a)'],
    ['!!has(a)', 'has(a)'],
    ['! ! !has(a)', '!has(a)'],
    ['! (has( b)||! has(a ))', '!(has(b) || !has(a))'],
    ["!(!(k == 'v' && has(t) || all()) && (a in {'b', 'c'}))", '!(!((k == "v" && has(t)) || all()) && a in {"b", "c"})'],
    ['a==\'b\'&&c!="d"||!has(e)', '((a == "b" && c != "d") || !has(e))'],
  ]

  it.each(cases)('%j prints as %j', (input, canonical) => {
    expect(parseSelector(input).toString()).toBe(canonical)
  })

  it.each(cases)('the canonical form of %j parses back to itself', (input) => {
    const canonical = parseSelector(input).toString()
    expect(parseSelector(canonical).toString()).toBe(canonical)
  })

  it('accepts a label of exactly 512 characters', () => {
    const label = 'x'.repeat(512)
    expect(parseSelector(`has(${label})`).toString()).toBe(`has(${label})`)
  })
})

describe('evaluation', () => {
  const cases: Array<[selector: string, labels: Record<string, string>, matches: boolean]> = [
    ["a == 'x'", { a: 'x' }, true],
    ["a == 'x'", { a: 'y' }, false],
    ["a == 'x'", { a: 'X' }, false],
    ["a == 'x'", {}, false],
    ["a == ''", { a: '' }, true],
    ["a != 'x'", { a: 'y' }, true],
    ["a != 'x'", { a: 'x' }, false],
    ["a != 'x'", {}, true],
    ["a contains 'bc'", { a: 'abcd' }, true],
    ["a contains 'bd'", { a: 'abcd' }, false],
    ["a contains ''", { a: 'abcd' }, true],
    ["a contains 'b'", { b: 'b' }, false],
    ["a starts with 'ab'", { a: 'abc' }, true],
    ["a starts with 'bc'", { a: 'abc' }, false],
    ["a starts with 'a'", {}, false],
    ["a ends with 'bc'", { a: 'abc' }, true],
    ["a ends with 'ab'", { a: 'abc' }, false],
    ["a ends with 'c'", {}, false],
    ["a in {'x', 'y'}", { a: 'y' }, true],
    ["a in {'x', 'y'}", { a: 'z' }, false],
    ["a in {'x', 'y'}", {}, false],
    ['a in {}', { a: '' }, false],
    ["a not in {'x', 'y'}", { a: 'z' }, true],
    ["a not in {'x', 'y'}", { a: 'x' }, false],
    ["a not in {'x', 'y'}", {}, true],
    ['a not in {}', { a: 'x' }, true],
    ['has(a)', { a: '' }, true],
    ['has(a)', { b: 'a' }, false],
    // Inherited object properties are not labels.
    ['has(constructor)', {}, false],
    ["toString != 'x'", {}, true],
    ['!has(a)', { a: 'x' }, false],
    ['!has(a)', {}, true],
    ['all()', {}, true],
    ['', { a: 'x' }, true],
    ['global()', {}, true],
    ["a == 'x' && b == 'y'", { a: 'x', b: 'y' }, true],
    ["a == 'x' && b == 'y'", { a: 'x' }, false],
    ["a == 'x' || b == 'y'", { b: 'y' }, true],
    ["a == 'x' || b == 'y'", { a: 'y', b: 'x' }, false],
    // `&&` binds tighter than `||`: read as a || (b && c).
    ["a == 'x' || b == 'y' && c == 'z'", { a: 'x' }, true],
    ["(a == 'x' || b == 'y') && c == 'z'", { a: 'x' }, false],
    // `!` binds tighter than `&&`: read as (!has(a)) && has(b).
    ['!has(a) && has(b)', {}, false],
    ['!(has(a) && has(b))', {}, true],
    ['!!has(a)', { a: 'x' }, true],
    ['!!!has(a)', { a: 'x' }, false],
    ['!(!has(a) || has(b))', { a: 'a' }, true],
  ]

  it.each(cases)('%j against %j is %s', (selector, labels, matches) => {
    expect(parseSelector(selector).evaluate(labels)).toBe(matches)
  })

  it.each(cases)('%j against %j gives the same result after canonicalising', (selector, labels, matches) => {
    expect(parseSelector(parseSelector(selector).toString()).evaluate(labels)).toBe(matches)
  })
})

describe('route-reflector selectors', () => {
  const reflector = { 'i-am-a-route-reflector': 'true' }
  it.each([
    ['has(i-am-a-route-reflector)', reflector, true],
    ['has(i-am-a-route-reflector)', {}, false],
    ['!has(i-am-a-route-reflector)', reflector, false],
    ['!has(i-am-a-route-reflector)', {}, true],
  ])('%j against %j is %s', (selector, labels, matches) => {
    expect(parseSelector(selector).evaluate(labels)).toBe(matches)
  })
})

describe('syntax errors', () => {
  const long = 'x'.repeat(513)
  const cases: Array<[selector: string, message: string, offset: number]> = [
    // Lexical errors.
    ["a == 'b'\n&& c == 'd'", 'expected identifier', 8],
    ["a\n== 'b'", 'expected operator after label "a"', 1],
    ["a == 'b'\r", 'expected identifier', 8],
    ['%', 'expected identifier', 0],
    ["a == 'b' && %", 'expected identifier', 12],
    ['"FOO', 'unterminated string', 0],
    [`a == "FOO'`, 'unterminated string', 5],
    ["a = 'b'", 'expected ==', 2],
    ["a !== 'b'", 'expected ==', 4],
    ["a == 'b' & has(c)", 'expected &&', 9],
    ["a == 'b' | has(c)", 'expected ||', 9],
    [`${long} == 'a'`, `label too long: ${long}`, 0],
    [`has(${long})`, `label too long: ${long}`, 4],
    ['has()', 'expected identifier', 4],
    ['has(a b)', "no closing ')' after has(", 6],
    ['has(a', "no closing ')' after has(", 5],
    ['all(x)', "no closing ')' after all(", 4],
    ['global(', "no closing ')' after global(", 7],
    ['a b', 'expected operator after label "a"', 2],
    ["a inx {'b'}", 'expected operator after label "a"', 2],
    ["a containsx 'b'", 'expected operator after label "a"', 2],
    ["a not 'x'", 'expected operator after label "a"', 2],
    ["a has(b)", 'expected operator after label "a"', 2],
    // Two-word operators skip blanks before their boundary check, so a label operand is a lexical error...
    ['b starts with b', 'expected operator after label "b"', 2],
    // ...while after a one-word operator it reaches the parser.
    ['b contains b', 'expected string', 11],
    // Grammar errors.
    ['a == b', 'expected string', 5],
    ["'b' == a", 'unexpected token: TokStringLiteral(b)', 0],
    ['b', 'unexpected end of string looking for op', 1],
    ['a ', 'unexpected end of string looking for op', 2],
    ["a == 'x' && b", 'unexpected end of string looking for op', 13],
    ['a ==', 'expected string', 4],
    ['foo != ||', 'expected string', 7],
    ["a in 'x'", 'expected set literal', 5],
    ["a not in ('x')", 'expected set literal', 9],
    ["a in {'x' 'y'}", 'expected }', 10],
    ['a in {,}', 'expected }', 6],
    ['foo in {"", ||', 'expected }', 12],
    ["a in {'x'", 'expected }', 9],
    ["a && b == 'c'", 'expected == or != not: TokAnd()', 2],
    ["a ('x')", 'expected == or != not: TokLParen()', 2],
    ["has (a)", 'expected == or != not: TokLParen()', 4],
    ["a 'x'", 'expected == or != not: TokStringLiteral(x)', 2],
    ['!', 'unexpected token: TokEOF()', 1],
    ['(', 'unexpected token: TokEOF()', 1],
    [')', 'unexpected token: TokRParen()', 0],
    ['()', 'unexpected token: TokRParen()', 1],
    ['has(foo) &&', 'unexpected token: TokEOF()', 11],
    ["a == 'b' && || c == 'd'", 'unexpected token: TokOr()', 12],
    ['{}', 'unexpected token: TokLBrace()', 0],
    ["(a == 'foo'", 'expected )', 11],
    ["(a == 'foo' has(b)", 'expected )', 12],
    ["a == 'b')", 'unexpected content at end of selector [TokRParen() TokEOF()]', 8],
    ["has(a) == 'b'", 'unexpected content at end of selector [TokEq() TokStringLiteral(b) TokEOF()]', 7],
    ['has(a) has(b)', 'unexpected content at end of selector [TokHas(b) TokEOF()]', 7],
    ['all() global()', 'unexpected content at end of selector [TokGlobal() TokEOF()]', 6],
  ]

  it.each(cases)('%j fails with %j at offset %i', (selector, message, offset) => {
    const err = syntaxError(selector)
    expect(err.message).toBe(message)
    expect(err.offset).toBe(offset)
    expect(err.name).toBe('SelectorSyntaxError')
  })

  it.each(cases)('validateSelector(%j) returns %j', (selector, message) => {
    expect(validateSelector(selector)).toBe(message)
  })

  it.each(['', 'all()', "a == 'b'", 'has(a) && !has(b)', "k not in {'a',}"])(
    'validateSelector(%j) accepts the selector',
    (selector) => {
      expect(validateSelector(selector)).toBeUndefined()
    },
  )
})

describe('usesGlobal', () => {
  it.each([
    ['global()', true],
    ['!global()', true],
    ["has(a) || (b == 'c' && global())", true],
    ['all()', false],
    ['', false],
    ['has(global)', false],
    ["global == 'x'", false],
  ])('%j -> %s', (selector, uses) => {
    expect(parseSelector(selector).usesGlobal()).toBe(uses)
  })
})
