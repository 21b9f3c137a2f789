import { Flags } from './oclif-definitions.js'
import { DEFAULT_CONFIG_PATH } from '../datastore/config.js'
import { ROOT_FLAG_GROUP } from './tree.js'

/** The root command's persistent flags: every command accepts them, before or after its words. */
export const globalFlags = {
  'log-level': Flags.string({ char: 'l', default: 'panic', description: 'Set the log level (panic, fatal, error, warn, info, debug)', helpGroup: ROOT_FLAG_GROUP }),
  context: Flags.string({ description: 'The name of the kubeconfig context to use', helpGroup: ROOT_FLAG_GROUP }),
  'allow-version-mismatch': Flags.boolean({ description: 'Allow client and cluster versions mismatch', helpGroup: ROOT_FLAG_GROUP }),
}

export const configFlag = {
  config: Flags.string({ char: 'c', default: DEFAULT_CONFIG_PATH, description: 'Path to the file containing connection configuration in YAML or JSON format.' }),
}

/** Flags shared by create, apply, replace, delete, get and validate. */
export const fileFlags = {
  filename: Flags.string({ char: 'f', description: "Filename to use to create/apply/replace/delete the resource. Use '-' for stdin." }),
  recursive: Flags.boolean({ char: 'R', description: 'Process the filename specified in -f recursively.' }),
  'skip-empty': Flags.boolean({ description: 'Do not error if files contain no data.' }),
  ...configFlag,
  namespace: Flags.string({ char: 'n', description: 'Namespace of the resource.' }),
}

/** cobra's text when a required flag is missing. */
export const FILENAME_REQUIRED = 'required flag(s) "filename" not set'
