import { CompletionCommand } from '../../cli/completion-command.js'

export default class CompletionFish extends CompletionCommand {
  static override summary = 'Generate the autocompletion script for fish'
  static override description = `Print a fish script that completes calicoctl's commands, flags and resource kinds.

Use it in the current shell:

	calicoctl completion fish | source

Use it in every new shell:

	calicoctl completion fish > ~/.config/fish/completions/calicoctl.fish`
  protected readonly shell = 'fish'
}
