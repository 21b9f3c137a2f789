/**
 * Flag and argument definitions of the same shape as @oclif/core's builders make them. oclif reads
 * them only at build time, to write its manifest (src/cli/tree.ts reads that); at run time
 * CalicoCommand.parse reads them. Building them here keeps oclif's 600 KB out of every command's
 * start-up. The types are oclif's own.
 */
import type * as OclifArgs from '@oclif/core/args'
import type * as OclifFlags from '@oclif/core/flags'

type Options = Record<string, unknown>

/** oclif's Flags.custom: a flag that takes a value, parsed by `parse` (the value as given by default). */
const custom = ((defaults?: Options) => (options: Options = {}) => ({
  parse: async (input: string) => input,
  ...defaults,
  ...options,
  input: [],
  multiple: Boolean(options.multiple === undefined ? (defaults?.multiple ?? false) : options.multiple),
  type: 'option',
})) as unknown as typeof OclifFlags.custom

const boolean = ((options: Options = {}) => ({
  parse: async (value: boolean) => value,
  ...options,
  allowNo: Boolean(options.allowNo),
  type: 'boolean',
})) as unknown as typeof OclifFlags.boolean

const stringArg = ((options: Options = {}) => ({
  parse: async (input: string) => input,
  ...options,
  input: [],
  type: 'option',
})) as unknown as typeof OclifArgs.string

export const Flags = { custom, string: custom() as unknown as typeof OclifFlags.string, boolean }
export const Args = { string: stringArg }
