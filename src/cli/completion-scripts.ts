/**
 * Shell scripts that complete calicoctl's command line. Each one only asks calicoctl:
 * `calicoctl __complete ARGS... WORD` prints the candidates for WORD, one per line (a tab starts a
 * description), then `:N`, bits telling the shell what else to do (see Directive in complete.ts;
 * calicoctl's answers use 1 "offer nothing" and 4 "no file names").
 */

export type Shell = 'bash' | 'zsh' | 'fish' | 'powershell'

/** `__complete` answers with descriptions, `__completeNoDesc` without. */
const request = (descriptions: boolean) => (descriptions ? '__complete' : '__completeNoDesc')

function bash(name: string, descriptions: boolean): string {
  return `# bash completion for ${name}                                  -*- shell-script -*-
#
# Load it into the current shell with:  source <(${name} completion bash)

__start_${name}()
{
    # The words up to the cursor as typed (quotes are not interpreted); a blank before
    # the cursor means a new, still empty word.
    local line=\${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<<"\${line}"
    if [[ -z \${line} || \${line} == *[[:space:]] ]]; then
        words+=("")
    fi
    local word=\${words[\${#words[@]}-1]}

    local out
    out=$("\${words[0]/#\\~/\${HOME}}" ${request(descriptions)} "\${words[@]:1}" 2>/dev/null)
    local directive=\${out##*$'\\n'}
    directive=\${directive#:}
    [[ \${directive} =~ ^[0-9]+$ ]] || return 0
    (( directive & 1 )) && return 0

    local -a candidates=()
    [[ \${out} == *$'\\n'* ]] && mapfile -t candidates <<<"\${out%$'\\n'*}"
    if (( \${#candidates[@]} == 0 )); then
        # Without candidates bash offers file names (complete -o default), unless told not to.
        if (( directive & 4 )) && [[ $(type -t compopt) == builtin ]]; then
            compopt +o default 2>/dev/null
        fi
        return 0
    fi

    # calicoctl answers for the whole word; bash replaces only the part after the last
    # '=' or ':' (COMP_WORDBREAKS). A --flag=value word gets candidates for the value.
    local prefix=
    [[ \${word} == -*=* ]] && prefix=\${word%%=*}=
    local tail=\${word}
    [[ \${COMP_WORDBREAKS} == *=* ]] && tail=\${tail##*=}
    [[ \${COMP_WORDBREAKS} == *:* ]] && tail=\${tail##*:}
    local cut=$(( \${#word} - \${#tail} ))

    # Descriptions only when bash lists the choices (a second tab), one per line.
    local describe=
    case \${COMP_TYPE-} in 33|63|64) (( \${#candidates[@]} > 1 )) && describe=1 ;; esac
    local width=0 candidate choice
    for candidate in "\${candidates[@]}"; do
        choice=\${prefix}\${candidate%%$'\\t'*}
        (( \${#choice} - cut > width )) && width=$(( \${#choice} - cut ))
    done
    COMPREPLY=()
    for candidate in "\${candidates[@]}"; do
        choice=\${prefix}\${candidate%%$'\\t'*}
        choice=\${choice:cut}
        if [[ -n \${describe} && \${candidate} == *$'\\t'* ]]; then
            printf -v choice '%-*s  (%s)' "\${width}" "\${choice}" "\${candidate#*$'\\t'}"
            (( \${#choice} > \${COLUMNS:-80} - 1 )) && choice=\${choice:0:\${COLUMNS:-80}-4}...
        fi
        COMPREPLY+=("\${choice}")
    done
}

complete -o default -F __start_${name} ${name}
`
}

function zsh(name: string, descriptions: boolean): string {
  return `#compdef ${name}
#
# Load it into the current shell with:  source <(${name} completion zsh)
# or save it as _${name} in a directory of $fpath.

_${name}()
{
    local -a lines candidates described
    local out directive candidate
    # The words up to the cursor, quotes removed; the last one is being completed.
    out=$(\${words[1]} ${request(descriptions)} "\${(@Q)words[2,CURRENT]}" 2>/dev/null)
    lines=("\${(@f)out}")
    directive=\${lines[-1]#:}
    [[ \${directive} == <-> ]] || return 1
    (( directive & 1 )) && return 1
    candidates=("\${(@)lines[1,-2]}")
    if (( \${#candidates} == 0 )); then
        (( directive & 4 )) && return 1
        _files
        return
    fi
    # A --flag=value word: the candidates are values.
    [[ \${words[CURRENT]} == -*=* ]] && compset -P '-*='
    for candidate in "\${candidates[@]}"; do
        if [[ \${candidate} == *$'\\t'* ]]; then
            described+=("\${\${candidate%%$'\\t'*}//:/\\\\:}:\${candidate#*$'\\t'}")
        else
            described+=("\${candidate//:/\\\\:}")
        fi
    done
    _describe -t ${name}-candidates 'completions' described
}

if [[ \${funcstack[1]} == _${name} ]]; then
    _${name} "$@"
else
    compdef _${name} ${name}
fi
`
}

function fish(name: string, descriptions: boolean): string {
  return `# fish completion for ${name}
#
# Load it into the current shell with:  ${name} completion fish | source

function __${name}_candidates
    set -l words (commandline -opc)
    set -l program $words[1]
    set -e words[1]
    set -l word (commandline -ct)
    set -l out ($program ${request(descriptions)} $words $word 2>/dev/null)
    set -l directive (string replace -- ':' '' $out[-1])
    string match -qr -- '^[0-9]+$' $directive; or return
    test (math "bitand($directive, 1)") -eq 0; or return
    set -l candidates
    test (count $out) -gt 1; and set candidates $out[1..-2]
    if test (count $candidates) -eq 0
        # Without candidates: file names, unless told not to.
        test (math "bitand($directive, 4)") -eq 0; and __fish_complete_path $word
        return
    end
    # A --flag=value word: the candidates are values.
    set -l prefix (string match -r -- '^-[^=]*=' $word)
    for candidate in $candidates
        echo "$prefix$candidate"
    end
end

complete -c ${name} -e
complete -c ${name} -f -a '(__${name}_candidates)'
`
}

function powershell(name: string, descriptions: boolean): string {
  return `# powershell completion for ${name}
#
# Load it into the current shell with:  ${name} completion powershell | Out-String | Invoke-Expression

Register-ArgumentCompleter -Native -CommandName '${name}' -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)

    # The words before the cursor; the word being completed comes last (empty after a blank).
    $line = $CommandAst.Extent.Text
    $upToCursor = $line.Substring(0, [Math]::Min($line.Length, $CursorPosition - $CommandAst.Extent.StartOffset))
    $words = @($upToCursor -split '\\s+' | Where-Object { $_ -ne '' })
    if ($WordToComplete -eq '') { $words += '' }
    $program = $words[0]
    $arguments = @('${request(descriptions)}') + @($words | Select-Object -Skip 1)

    $out = @(& $program @arguments 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = 0
    if (-not [int]::TryParse(($out[-1] -replace '^:', ''), [ref]$directive)) { return }
    if ($directive -band 1) { return }
    $candidates = @($out | Select-Object -SkipLast 1)
    if ($candidates.Count -eq 0) {
        if ($directive -band 4) { '' }
        return
    }
    # A --flag=value word: the candidates are values.
    $prefix = ''
    if ($WordToComplete -match '^(-[^=]*=)') { $prefix = $Matches[1] }
    foreach ($candidate in $candidates) {
        $choice, $description = $candidate -split "\`t", 2
        if (-not $description) { $description = $choice }
        [System.Management.Automation.CompletionResult]::new("$prefix$choice", $choice, 'ParameterValue', $description)
    }
}
`
}

const SCRIPTS: Record<Shell, (name: string, descriptions: boolean) => string> = { bash, zsh, fish, powershell }

export function completionScript(shell: Shell, name: string, descriptions: boolean): string {
  return SCRIPTS[shell](name, descriptions)
}
