import { describe, expect, it } from 'vitest'
import * as eager from '../../src/resources/all-kinds.js'
import { allKinds, kindByKind, kindByName, kindNames } from '../../src/resources/registry.js'

describe('the lazy kind registry', () => {
  it('lists every kind module, in the same order, with the names the modules give', async () => {
    const loaded = await allKinds()
    expect(loaded).toEqual([...eager.allKinds()])
    expect(kindNames()).toEqual(eager.allKinds().map((k) => k.names[0]))
    for (const kind of eager.allKinds()) {
      expect(await kindByKind(kind.kind)).toBe(kind)
      for (const name of kind.names) expect(await kindByName(name.toUpperCase())).toBe(kind)
    }
  })

  it('knows no other names', async () => {
    expect(await kindByName('ippoolz')).toBeUndefined()
    expect(await kindByKind('IPPoolList')).toBeUndefined()
  })
})
