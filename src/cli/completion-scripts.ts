// Shell completion scripts for bash, zsh and fish, generated from one description of the commands
// (completion.ts derives it from the help texts, so a new option completes as soon as it is
// documented). Pure: data in, script text out. Shot ids after --only/--force come from
// `bach-render __complete-ids [PATH]` at the moment of the key press (the nearest bach.yaml, or the
// PATH typed on the line — bash only; zsh and fish use the nearest).

export type ValueKind = { kind: 'free' } | { kind: 'choices'; choices: string[] } | { kind: 'ids' } | { kind: 'files' };

export interface CompletionFlag {
  /** `--only` */
  name: string;
  description: string;
  /** `ID[,ID...]`; undefined for a flag without a value. */
  valueName?: string;
  value?: ValueKind;
  repeatable: boolean;
}

export interface CompletionCommand {
  name: string;
  summary: string;
  flags: CompletionFlag[];
  positional: 'files' | 'folders' | 'shells' | 'none';
}

export interface CompletionSpec {
  program: string;
  /** The command a first word that is not a command means (`bach-render examples` = build). */
  defaultCommand: string;
  commands: CompletionCommand[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function createCompletionScript(shell: Shell, spec: CompletionSpec): string {
  if (shell === 'bash') return createBashScript(spec);
  if (shell === 'zsh') return createZshScript(spec);
  return createFishScript(spec);
}

const HIDDEN_IDS_COMMAND = '__complete-ids';

// ---------------------------------------------------------------------------------------------- bash

function createBashScript(spec: CompletionSpec): string {
  const fn = `_${spec.program.replace(/\W/g, '_')}`;
  const names = spec.commands.map((c) => c.name);
  const valued = (c: CompletionCommand) => c.flags.filter((f) => f.valueName !== undefined).map((f) => f.name);
  const valueArms: string[] = [];
  for (const command of spec.commands) {
    for (const flag of command.flags) {
      const key = `"${command.name} ${flag.name}"`;
      if (flag.value?.kind === 'ids') valueArms.push(`    ${key}) ${fn}_ids; return ;;`);
      else if (flag.value?.kind === 'choices') valueArms.push(`    ${key}) COMPREPLY=( $(compgen -W '${flag.value.choices.join(' ')}' -- "$cur") ); return ;;`);
      else if (flag.value?.kind === 'files') valueArms.push(`    ${key}) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`);
    }
  }
  const positional = (kind: CompletionCommand['positional']) =>
    spec.commands.filter((c) => c.positional === kind).map((c) => c.name).join('|');
  const positionalArms = [
    positional('files') && `    ${positional('files')}) compopt -o filenames 2>/dev/null; COMPREPLY+=( $(compgen -f -- "$cur") ) ;;`,
    positional('folders') && `    ${positional('folders')}) compopt -o filenames 2>/dev/null; COMPREPLY+=( $(compgen -d -- "$cur") ) ;;`,
    positional('shells') && `    ${positional('shells')}) COMPREPLY=( $(compgen -W '${SHELLS.join(' ')}' -- "$cur") ) ;;`,
  ].filter(Boolean);
  return `# ${spec.program} completion for bash (\`${spec.program} completion bash\`).
# Load it in this shell: source <(${spec.program} completion bash)
# For every shell: add that line to ~/.bashrc, or save the output as
# ~/.local/share/bash-completion/completions/${spec.program}

# Shot ids for --only/--force, from the manifest on the line (or the nearest bach.yaml); a comma
# list completes its last item.
${fn}_ids() {
  local ids prefix=
  ids=$("\${COMP_WORDS[0]}" ${HIDDEN_IDS_COMMAND} \${path:+"$path"} 2>/dev/null)
  [[ $cur == *,* ]] && prefix=\${cur%,*},
  COMPREPLY=( $(compgen -P "$prefix" -W "$ids" -- "\${cur##*,}") )
}

${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=
  (( COMP_CWORD > 0 )) && prev=\${COMP_WORDS[COMP_CWORD-1]}
  # bash splits --flag=value at the "=": complete the value of the flag before it.
  if [[ $prev == = ]] && (( COMP_CWORD > 1 )); then prev=\${COMP_WORDS[COMP_CWORD-2]}; [[ $cur == = ]] && cur=; fi
  [[ $cur == = ]] && cur=
  local command=${spec.defaultCommand} first=1
  case \${COMP_WORDS[1]-} in
    ${names.join('|')}) (( COMP_CWORD > 1 )) && command=\${COMP_WORDS[1]} && first=2 ;;
  esac
  # Options that take a value: the word after one is that value, not PATH.
  local valued
  case $command in
${spec.commands.map((c) => `    ${c.name}) valued=' ${valued(c).join(' ')} ' ;;`).join('\n')}
  esac
  local path= i word
  for (( i = first; i < COMP_CWORD; i++ )); do
    word=\${COMP_WORDS[i]}
    if [[ $valued == *" $word "* ]]; then
      [[ \${COMP_WORDS[i+1]-} == = ]] && (( i++ ))
      (( i++ ))
      continue
    fi
    [[ $word == -* || $word == = ]] || path=$word
  done
  case "$command $prev" in
${valueArms.join('\n')}
  esac
  # Any other value (a number, a URL): nothing to offer.
  [[ $valued == *" $prev "* ]] && return 0
  if [[ $cur == -* ]]; then
    case $command in
${spec.commands.map((c) => `      ${c.name}) COMPREPLY=( $(compgen -W '${c.flags.map((f) => f.name).join(' ')}' -- "$cur") ) ;;`).join('\n')}
    esac
    return 0
  fi
  COMPREPLY=()
  (( COMP_CWORD == 1 )) && COMPREPLY=( $(compgen -W '${spec.commands.filter((c) => c.name !== HIDDEN_IDS_COMMAND).map((c) => c.name).join(' ')}' -- "$cur") )
  [[ -n $path ]] && return 0
  case $command in
${positionalArms.join('\n')}
  esac
  return 0
}

complete -F ${fn} ${spec.program}
`;
}

// ----------------------------------------------------------------------------------------------- zsh

function createZshScript(spec: CompletionSpec): string {
  const fn = `_${spec.program.replace(/\W/g, '_')}`;
  const visible = spec.commands.filter((c) => c.name !== HIDDEN_IDS_COMMAND);
  const arms = spec.commands.map((command) => {
    const specs = command.flags.map((flag) => `        ${zshQuote(zshFlagSpec(flag, fn))}`);
    if (command.positional === 'files') specs.push(`        ${zshQuote('1:manifest (a bach.yaml or its folder):_files')}`);
    if (command.positional === 'folders') specs.push(`        ${zshQuote('1:folder:_files -/')}`);
    if (command.positional === 'shells') specs.push(`        ${zshQuote(`1:shell:(${SHELLS.join(' ')})`)}`);
    return `    (${command.name})\n      _arguments \\\n${specs.join(' \\\n')}\n      ;;`;
  });
  return `#compdef ${spec.program}
# ${spec.program} completion for zsh (\`${spec.program} completion zsh\`).
# Load it in this shell (after compinit): source <(${spec.program} completion zsh)
# For every shell: add that line to ~/.zshrc, or save the output as _${spec.program} in a folder of $fpath.

# Shot ids for --only/--force, from the nearest bach.yaml; a comma list completes item by item.
${fn}_ids() {
  local -a ids
  ids=(\${(f)"$(\${${fn}_program:-${spec.program}} ${HIDDEN_IDS_COMMAND} 2>/dev/null)"})
  (( \${#ids} )) && _values -s , 'shot id' $ids
}

${fn}() {
  local ${fn}_program=\${words[1]} command=${spec.defaultCommand}
  local -a commands
  commands=(
${visible.map((c) => `    ${zshQuote(`${c.name}:${c.summary}`)}`).join('\n')}
  )
  if (( CURRENT == 2 )) && [[ \${words[2]} != -* ]]; then
    _describe -t commands '${spec.program} command' commands
    _files
    return
  fi
  case \${words[2]} in
    (${spec.commands.map((c) => c.name).join('|')})
      command=\${words[2]}
      shift words
      (( CURRENT-- ))
      ;;
  esac
  case $command in
${arms.join('\n')}
  esac
}

if [[ \${funcstack[1]} == _${spec.program} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${spec.program}
fi
`;
}

function zshFlagSpec(flag: CompletionFlag, fn: string): string {
  const head = `${flag.repeatable ? '*' : ''}${flag.name === '--help' ? '(- *)' : ''}${flag.name}[${zshEscape(flag.description)}]`;
  if (flag.valueName === undefined) return head;
  const message = zshEscape(flag.valueName);
  switch (flag.value?.kind) {
    case 'ids':
      return `${head}:${message}:${fn}_ids`;
    case 'choices':
      return `${head}:${message}:(${flag.value.choices.join(' ')})`;
    case 'files':
      return `${head}:${message}:_files`;
    default:
      return `${head}:${message}: `;
  }
}

/** Brackets, colons, backslashes, `$` and backquotes are syntax inside an _arguments spec (as clap_complete escapes them). */
function zshEscape(text: string): string {
  return text.replace(/[\\[\]:$`]/g, (c) => `\\${c}`);
}

function zshQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------- fish

function createFishScript(spec: CompletionSpec): string {
  const p = spec.program;
  const others = (name: string) => spec.commands.filter((c) => c.name !== name).map((c) => c.name).join(' ');
  // The default command's options also apply before any command word: `bach-render --only a`.
  const when = (command: CompletionCommand) =>
    command.name === spec.defaultCommand ? `not __fish_seen_subcommand_from ${others(command.name)}` : `__fish_seen_subcommand_from ${command.name}`;
  const lines = [
    `# ${p} completion for fish (\`${p} completion fish\`).`,
    `# Install: ${p} completion fish > ~/.config/fish/completions/${p}.fish`,
    `complete -c ${p} -f`,
    ...spec.commands
      .filter((c) => c.name !== HIDDEN_IDS_COMMAND)
      .map((c) => `complete -c ${p} -n __fish_use_subcommand -a ${c.name} -d ${fishQuote(c.summary)}`),
  ];
  for (const command of spec.commands) {
    const condition = `-n ${fishQuote(when(command))}`;
    for (const flag of command.flags) {
      const long = `-l ${flag.name.replace(/^--/, '')}`;
      let value = '';
      if (flag.valueName !== undefined) {
        if (flag.value?.kind === 'ids') value = ` -x -a ${fishQuote(`(${p} ${HIDDEN_IDS_COMMAND} 2>/dev/null)`)}`;
        else if (flag.value?.kind === 'choices') value = ` -x -a ${fishQuote(flag.value.choices.join(' '))}`;
        else if (flag.value?.kind === 'files') value = ' -r -F';
        else value = ' -x';
      }
      lines.push(`complete -c ${p} ${condition} ${long}${value} -d ${fishQuote(flag.description)}`);
    }
    if (command.positional === 'files') lines.push(`complete -c ${p} ${condition} -F`);
    if (command.positional === 'folders') lines.push(`complete -c ${p} ${condition} -x -a '(__fish_complete_directories)'`);
    if (command.positional === 'shells') lines.push(`complete -c ${p} ${condition} -x -a ${fishQuote(SHELLS.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
