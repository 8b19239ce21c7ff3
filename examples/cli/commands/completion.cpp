// `completion bash|zsh`: a shell completion script for the commands, flags, resource kinds and
// -o formats, built from the same tables the parser and `get` use so it cannot fall behind.

#include <string>
#include <string_view>

#include "commands/commands.hpp"
#include "commands/get.hpp"

namespace svcdisc_cli {

namespace {

template <class Range>
std::string words(const Range& range) {
    std::string out;
    for (const auto& word : range) {
        out += out.empty() ? "" : " ";
        out += word;
    }
    return out;
}

std::string kind_words() {
    std::string out;
    for (const auto& kind : resource_kinds()) {
        out += out.empty() ? "" : " ";
        out += kind.plural;
        // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, wrongly) about
        // `" " + std::string(...)`.
        if (kind.singular != kind.plural) {
            out += ' ';
            out += kind.singular;
        }
        for (const auto short_name : kind.short_names) {
            out += ' ';
            out += short_name;
        }
    }
    return out + " all";
}

/// The bash script. zsh runs the same function through bashcompinit.
std::string bash_script() {
    return R"(# svcdisc completion for bash. Load it with: source <(svcdisc completion bash)
_svcdisc() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    local prev="${COMP_WORDS[COMP_CWORD-1]}"
    local commands=")" +
           words(command_names()) + R"("
    local kinds=")" +
           kind_words() + R"("
    local flags=")" +
           words(flag_spellings()) + R"("
    local formats="wide yaml json name jsonpath= jsonpath-file= jsonpath-as-json= custom-columns= custom-columns-file="
    case "$prev" in
        -f|--filename)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        -o|--output)
            COMPREPLY=($(compgen -W "$formats" -- "$cur"))
            return ;;
        --node-policy)
            COMPREPLY=($(compgen -W "upstream assume-present" -- "$cur"))
            return ;;
        -n|--namespace|-l|--selector|-L|--label-columns|--sort-by|--labels|--pod|--max-endpoints-per-slice)
            return ;;
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    local command="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            -f|--filename|-o|--output|--node-policy|-n|--namespace|-l|--selector|-L|--label-columns|--sort-by|--labels|--pod|--max-endpoints-per-slice)
                ((i++)) ;;
            -*) ;;
            *) command="${COMP_WORDS[i]}"; break ;;
        esac
    done
    case "$command" in
        "") COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        get|describe) COMPREPLY=($(compgen -W "$kinds" -- "$cur")) ;;
        explain) COMPREPLY=($(compgen -W "service" -- "$cur")) ;;
        completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
    esac
}
complete -o default -F _svcdisc svcdisc
)";
}

} // namespace

command_result run_completion(const arguments& args) {
    if (args.positional.size() != 2) {
        usage_error("completion takes one shell: bash or zsh");
    }
    const std::string& shell = args.positional[1];
    command_result result;
    if (shell == "bash") {
        result.out = bash_script();
    } else if (shell == "zsh") {
        result.out = "#compdef svcdisc\n# svcdisc completion for zsh. Load it with: source "
                     "<(svcdisc completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n" +
                     bash_script();
    } else {
        usage_error("unsupported shell type \"" + shell + "\": use bash or zsh");
    }
    return result;
}

} // namespace svcdisc_cli
