import { describe, expect, it } from 'vitest'
import { reportCreateLike, reportDelete, reportReplace, withLocations } from '../../src/crud/results.js'

const exists = (name: string) => `resource already exists: BGPPeer(${name}) with error: <nil>`

describe('result lines as calicoctl prints them', () => {
  it('counts successes per kind', () => {
    expect(reportCreateLike('apply', { kinds: ['IPPool'], errors: [] })).toEqual({ stdout: ["Successfully applied 1 'IPPool' resource(s)"] })
    expect(reportCreateLike('validate', { kinds: ['IPPool', 'BGPPeer'], errors: [] })).toEqual({ stdout: ['Successfully validated 2 resource(s)'] })
  })

  it('brackets errors like a Go slice', () => {
    expect(reportCreateLike('create', { kinds: ['BGPPeer'], errors: [exists('a')] }).error).toBe(`failed to create 'BGPPeer' resource: [${exists('a')}]`)
    expect(reportCreateLike('create', { kinds: ['BGPPeer', 'BGPPeer'], errors: [exists('a'), exists('b')] }).error).toBe(
      `failed to create any 'BGPPeer' resources: [${exists('a')} ${exists('b')}]`,
    )
    expect(reportCreateLike('apply', { kinds: ['BGPPeer', 'IPPool'], errors: ['x', 'y'] }).error).toBe('failed to apply any resources: [x y]')
  })

  it('prints Partial success only when successes outnumber failures', () => {
    expect(reportCreateLike('create', { kinds: ['BGPPeer', 'BGPPeer', 'BGPPeer'], errors: [exists('c')] })).toEqual({
      stdout: ["Partial success: created the first 2 out of 3 'BGPPeer' resources:"],
      error: `hit error: [${exists('c')}]`,
    })
    expect(reportCreateLike('create', { kinds: ['BGPPeer', 'BGPPeer', 'BGPPeer', 'BGPPeer'], errors: ['e1', 'e2'] })).toEqual({ stdout: [], error: 'hit error: [e1 e2]' })
  })

  it('replace counts failures as handled and keeps the last error bare', () => {
    expect(reportReplace({ kinds: ['IPPool'], errors: ['resource does not exist: IPPool(p) with error: <nil>'] })).toEqual({
      stdout: ["Partial success: replaced the first 1 out of 1 'IPPool' resources:"],
      error: 'hit error: resource does not exist: IPPool(p) with error: <nil>',
    })
  })

  it('delete lists each failure on its own line', () => {
    expect(reportDelete({ kinds: ['BGPPeer', 'BGPPeer'], errors: ['gone'] })).toEqual({
      stdout: ["Successfully deleted 1 'BGPPeer' resource(s)"],
      error: "Failed to delete 'BGPPeer' resource: gone\n",
    })
  })

  it('delete prints no success line when every delete failed, and names no kind for mixed kinds', () => {
    expect(reportDelete({ kinds: ['BGPPeer', 'BGPPeer'], errors: ['a', 'b'] })).toEqual({ stdout: [], error: "Failed to delete 'BGPPeer' resource: a\nFailed to delete 'BGPPeer' resource: b\n" })
    expect(reportDelete({ kinds: ['BGPPeer', 'IPPool', 'IPPool'], errors: ['c'] })).toEqual({ stdout: ['Successfully deleted 2 resource(s)'], error: 'Failed to delete resource: c\n' })
    expect(reportDelete({ kinds: ['IPPool'], errors: [] })).toEqual({ stdout: ["Successfully deleted 1 'IPPool' resource(s)"] })
  })

  it('adds where each failure is after the error, and nothing to a report without one', () => {
    const ok = { stdout: ['Successfully applied 1 resource(s)'] }
    expect(withLocations(ok, ['  at stdin: document 1, line 1'])).toBe(ok)
    const failed = { stdout: [], error: 'x', details: ['first'] }
    expect(withLocations(failed, [])).toBe(failed)
    expect(withLocations(failed, ['  at stdin: document 1, line 1'])).toEqual({ stdout: [], error: 'x', details: ['first', '  at stdin: document 1, line 1'] })
    expect(withLocations({ stdout: [], error: 'x' }, ['  at a'])).toEqual({ stdout: [], error: 'x', details: ['  at a'] })
  })
})
