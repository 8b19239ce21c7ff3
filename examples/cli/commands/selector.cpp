#include <optional>
#include <string>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/selector.hpp>

#include "commands/commands.hpp"
#include "commands/session.hpp"
#include "print/emitter.hpp"

namespace svcdisc_cli {

command_result run_selector(const arguments& args) {
    if (args.positional.size() != 2) {
        usage_error("selector takes exactly one EXPR (quote it; use -- before an EXPR that starts "
                    "with '-')");
    }
    const std::string& text = args.positional[1];
    const auto selector = parse_cli_selector(text, "selector");
    command_result result;
    const std::string canonical = svcdisc::to_string(selector);
    std::optional<bool> matches;
    if (args.labels) {
        // kubectl reads `k=v,...` label lists with ConvertSelectorToLabelsMap.
        const auto labels = svcdisc::convert_selector_to_labels_map(*args.labels);
        if (!labels) {
            operand_error("--labels", *args.labels, labels.error());
        }
        matches = selector.matches(*labels);
    }
    if (args.output == "json") {
        emitter out(emitter::format::json);
        out.begin_object();
        out.field("canonical", canonical);
        if (matches) {
            out.key("matches");
            out.boolean(*matches);
        }
        out.end_object();
        result.out = std::move(out.text());
    } else if (args.output.empty()) {
        result.out = canonical + "\n";
        if (matches) {
            result.out += *matches ? "matches\n" : "does not match\n";
        }
    } else {
        usage_error("selector prints text or -o json");
    }
    return result;
}

} // namespace svcdisc_cli
