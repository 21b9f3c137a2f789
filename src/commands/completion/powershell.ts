import { CompletionCommand } from '../../cli/completion-command.js'

export default class CompletionPowershell extends CompletionCommand {
  static override summary = 'Generate the autocompletion script for powershell'
  static override description = `Print a PowerShell script that completes calicoctl's commands, flags and resource kinds.

Use it in the current shell:

	calicoctl completion powershell | Out-String | Invoke-Expression

Use it in every new shell: add that line to your PowerShell profile.`
  protected readonly shell = 'powershell'
}
