import { CompletionCommand } from '../../cli/completion-command.js'

export default class CompletionBash extends CompletionCommand {
  static override summary = 'Generate the autocompletion script for bash'
  static override description = `Print a bash script that completes calicoctl's commands, flags and resource kinds.
The script asks calicoctl itself for the candidates, so it stays right when calicoctl
is upgraded.

Use it in the current shell:

	source <(calicoctl completion bash)

Use it in every new shell (with the bash-completion package installed):

	calicoctl completion bash > /etc/bash_completion.d/calicoctl`
  static disableFlagsInUseLine = true
  protected readonly shell = 'bash'
}
