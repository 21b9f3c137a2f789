import { nameColumn, orderColumn, specField, type Column } from './kind.js'

const tierColumn: Column = { header: 'TIER', value: (r) => String(specField(r, 'tier') ?? '') }
const selectorColumn: Column = { header: 'SELECTOR', value: (r) => String(specField(r, 'selector') ?? '') }

/** Tables of the Calico policy kinds, staged ones included. */
export const policyColumns = { ps: [nameColumn, tierColumn], wide: [nameColumn, tierColumn, orderColumn, selectorColumn] }
