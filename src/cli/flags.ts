import { Flags } from '@oclif/core'
import { DEFAULT_CONFIG_PATH } from '../datastore/config.js'

/** Root flags calicoctl accepts on every command, before or after the command name. */
export const globalFlags = {
  help: Flags.help({ char: 'h', description: 'Show help for the command', helpGroup: 'GLOBAL' }),
  'log-level': Flags.string({ char: 'l', default: 'panic', description: 'Set the log level (one of panic, fatal, error, warn, info, debug)', helpGroup: 'GLOBAL' }),
  context: Flags.string({ description: 'The name of the kubeconfig context to use', helpGroup: 'GLOBAL' }),
  'allow-version-mismatch': Flags.boolean({ description: 'Allow client and cluster versions mismatch', helpGroup: 'GLOBAL' }),
}

export const configFlag = {
  config: Flags.string({ char: 'c', default: DEFAULT_CONFIG_PATH, description: 'Path to the file containing connection configuration in YAML or JSON format' }),
}

/** Flags shared by create, apply, replace, delete, get and validate. */
export const fileFlags = {
  filename: Flags.string({ char: 'f', description: 'Filename, directory, or - (stdin) to use' }),
  recursive: Flags.boolean({ char: 'R', description: 'Process the filename specified in -f or --filename recursively' }),
  'skip-empty': Flags.boolean({ description: 'Do not error if any files or directory specified using -f or --filename contain no data' }),
  namespace: Flags.string({ char: 'n', description: 'Namespace of the resource' }),
  ...configFlag,
}

/** cobra's text when a required flag is missing. */
export const FILENAME_REQUIRED = 'required flag(s) "filename" not set'

/** Root flag names that take a value, for moving them after the command name. */
export const GLOBAL_FLAGS_WITH_VALUE = ['-l', '--log-level', '--context']
export const GLOBAL_BOOLEAN_FLAGS = ['--allow-version-mismatch']
