import { CompletionCommand } from '../../cli/completion-command.js'

export default class CompletionZsh extends CompletionCommand {
  static override summary = 'Generate the autocompletion script for zsh'
  static override description = `Print a zsh script that completes calicoctl's commands, flags and resource kinds.
Completion must be enabled in zsh ("autoload -U compinit; compinit" in ~/.zshrc).

Use it in the current shell:

	source <(calicoctl completion zsh)

Use it in every new shell:

	calicoctl completion zsh > "\${fpath[1]}/_calicoctl"`
  protected readonly shell = 'zsh'
}
