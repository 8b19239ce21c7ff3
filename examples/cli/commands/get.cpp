#include "commands/get.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include <simdjson.h>

#include <svcdisc/label_selector.hpp>

#include "cli_error.hpp"
#include "commands/commands.hpp"
#include "jsonpath/custom_columns.hpp"
#include "jsonpath/jsonpath.hpp"
#include "print/cells.hpp"
#include "print/table.hpp"
#include "read/files.hpp"

namespace svcdisc_cli {

bool resource_kind::is_named(std::string_view word) const {
    if (word == plural || word == singular ||
        std::find(short_names.begin(), short_names.end(), word) != short_names.end()) {
        return true;
    }
    if (group.empty() || word.size() <= group.size() || !word.ends_with(group) ||
        word[word.size() - group.size() - 1] != '.') {
        return false;
    }
    const std::string_view resource = word.substr(0, word.size() - group.size() - 1);
    return resource == plural || resource == singular;
}

std::string resource_kind::qualified_plural() const {
    return group.empty() ? std::string(plural) : std::string(plural) + "." + std::string(group);
}

std::string resource_kind::qualified_singular() const {
    return group.empty() ? std::string(singular) : std::string(singular) + "." + std::string(group);
}

namespace {

/// `pods, services, ... or nodes`.
std::string kind_list() {
    const auto kinds = resource_kinds();
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        out += i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ";
        out += kinds[i].plural;
    }
    return out;
}

const resource_kind& kind_named(std::string_view word) {
    for (const auto& kind : resource_kinds()) {
        if (kind.is_named(word)) {
            return kind;
        }
    }
    usage_error("the server doesn't have a resource type \"" + std::string(word) + "\"");
}

/// kubectl's `all` category in the order discovery lists it: the core group's resources, then
/// apps', then batch's (each group's sorted by name), without horizontalpodautoscalers,
/// which svcdisc does not read.
constexpr std::string_view all_category[] = {
    "pods",        "replicationcontrollers", "services", "daemonsets", "deployments",
    "replicasets", "statefulsets",           "cronjobs", "jobs"};

} // namespace

get_plan plan_of(const std::vector<std::string>& positional) {
    if (positional.size() < 2) {
        usage_error("you must specify the type of resource to " + positional.front() + ": " +
                    kind_list());
    }
    const std::span<const std::string> operands(positional.begin() + 1, positional.end());
    const auto slashes = std::count_if(operands.begin(), operands.end(), [](const auto& o) {
        return o.find('/') != std::string::npos;
    });
    get_plan plan;
    if (slashes > 0) {
        if (static_cast<std::size_t>(slashes) != operands.size()) {
            usage_error("there is no need to specify a resource type as a separate argument when "
                        "passing arguments in resource/name form (e.g. 'svcdisc get "
                        "resource/<resource_name>' instead of 'svcdisc get resource "
                        "resource/<resource_name>'");
        }
        for (const auto& operand : operands) {
            const auto slash = operand.find('/');
            if (operand.find('/', slash + 1) != std::string::npos) {
                usage_error("arguments in resource/name form may not have more than one slash");
            }
            const std::string type = operand.substr(0, slash);
            const std::string name = operand.substr(slash + 1);
            if (type.empty() || name.empty() || type.find(',') != std::string::npos) {
                usage_error("arguments in resource/name form must have a single resource and name");
            }
            const resource_kind& kind = kind_named(type);
            if (plan.targets.empty() || plan.targets.back().kind != &kind) {
                plan.targets.push_back({&kind, {}});
            }
            plan.targets.back().names.push_back(name);
        }
        plan.single_item_implied = operands.size() == 1;
        return plan;
    }
    std::string_view types = operands.front();
    auto add_kind = [&](const resource_kind& kind) {
        const bool seen = std::any_of(plan.targets.begin(), plan.targets.end(),
                                      [&](const target& t) { return t.kind == &kind; });
        if (!seen) {
            plan.targets.push_back({&kind, {}});
        }
    };
    while (!types.empty()) {
        const auto comma = types.find(',');
        const std::string_view type = types.substr(0, comma);
        types = comma == std::string_view::npos ? std::string_view() : types.substr(comma + 1);
        if (type == "all") {
            for (const auto plural : all_category) {
                add_kind(kind_named(plural));
            }
        } else if (!type.empty()) {
            add_kind(kind_named(type));
        }
    }
    if (plan.targets.empty()) {
        usage_error("you must specify the type of resource to " + positional.front() + ": " +
                    kind_list());
    }
    const std::vector<std::string> names(operands.begin() + 1, operands.end());
    if (!names.empty() && plan.targets.size() > 1) {
        usage_error("you must specify only one resource type when you give names");
    }
    if (!names.empty()) {
        plan.targets.front().names = names;
    }
    plan.single_item_implied = names.size() == 1;
    return plan;
}

namespace {

bool is_template_format(std::string_view output) {
    return output.starts_with("jsonpath") || output.starts_with("custom-columns");
}

/// A parsed `-o jsonpath=...` or `-o custom-columns=...` (or their -file forms).
struct template_printer {
    std::optional<jsonpath::parsed_template> jsonpath;
    std::string jsonpath_text;
    bool as_json = false; ///< -o jsonpath-as-json
    std::optional<custom_columns::printer> columns;
};

/// The template of `-o FORMAT=VALUE`: VALUE itself or, for the -file forms, the file it names.
std::string template_text(const arguments& args) {
    if (!args.output.ends_with("-file")) {
        return args.output_template;
    }
    return std::string(source_file::open(args.output_template)->bytes());
}

template_printer parse_template(const arguments& args) {
    template_printer printer;
    const std::string text = template_text(args);
    const std::string what = "-o " + args.output;
    if (args.output.starts_with("jsonpath")) {
        auto parsed = jsonpath::parse(text);
        if (!parsed) {
            operand_error(what, text, parsed.error());
        }
        printer.jsonpath = std::move(*parsed);
        printer.jsonpath_text = text;
        printer.as_json = args.output == "jsonpath-as-json";
        return printer;
    }
    auto columns = args.output == "custom-columns"
                       ? custom_columns::from_spec(text, args.no_headers)
                       : custom_columns::from_template(text);
    if (!columns) {
        operand_error(what, text, columns.error());
    }
    printer.columns = std::move(*columns);
    return printer;
}

/// kubectl's natural order of strings (sortorder.NaturalLess): runs of digits compare as
/// numbers and sort before other characters.
bool natural_less(std::string_view a, std::string_view b) {
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() && j < b.size()) {
        const bool digit_a = digit(a[i]);
        const bool digit_b = digit(b[j]);
        if (digit_a != digit_b) {
            return digit_a;
        }
        if (!digit_a) {
            if (a[i] != b[j]) {
                return a[i] < b[j];
            }
            ++i;
            ++j;
            continue;
        }
        const std::size_t zeros_a = i;
        const std::size_t zeros_b = j;
        while (i < a.size() && a[i] == '0') {
            ++i;
        }
        while (j < b.size() && b[j] == '0') {
            ++j;
        }
        const std::size_t start_a = i;
        const std::size_t start_b = j;
        while (i < a.size() && digit(a[i])) {
            ++i;
        }
        while (j < b.size() && digit(b[j])) {
            ++j;
        }
        if (i - start_a != j - start_b) {
            return i - start_a < j - start_b;
        }
        const auto number_a = a.substr(start_a, i - start_a);
        const auto number_b = b.substr(start_b, j - start_b);
        if (number_a != number_b) {
            return number_a < number_b;
        }
        if (start_a - zeros_a != start_b - zeros_b) {
            return start_a - zeros_a < start_b - zeros_b;
        }
    }
    return a.size() - i < b.size() - j;
}

/// The first value `--sort-by` finds in one object: a number, a string, or nothing.
struct sort_key {
    enum class type : std::uint8_t { missing, number, text } kind = type::missing;
    double number = 0;
    std::string text;
};

sort_key sort_key_of(const jsonpath::found_results& found, std::string_view field) {
    sort_key key;
    if (found.groups.empty() || found.groups.front().empty()) {
        return key;
    }
    const jsonpath::value& v = found.groups.front().front();
    if (v.kind == jsonpath::value_kind::document) {
        if (auto s = v.node.get_string(); !s.error()) {
            key.kind = sort_key::type::text;
            key.text = std::string(s.value());
            return key;
        }
        if (auto d = v.node.get_double(); !d.error()) {
            key.kind = sort_key::type::number;
            key.number = d.value();
            return key;
        }
        if (v.node.is_null()) {
            return key;
        }
    }
    throw cli_error(2, "error: --sort-by " + std::string(field) +
                           ": the field is an unsortable type\n");
}

/// `--sort-by`: the group's objects in the order of the field's first value (kubectl's
/// TableSorter), objects without it first. Equal keys keep the API server's order.
void sort_group(found_group& group, const std::string& field_spec, bool hide_managed_fields) {
    auto relaxed = custom_columns::relaxed_jsonpath_expression(field_spec);
    const std::string field = relaxed ? *relaxed : field_spec;
    auto parsed = jsonpath::parse(field);
    if (!parsed) {
        operand_error("--sort-by", field, parsed.error());
    }
    emitter out(emitter::format::json);
    out.begin_array();
    for (std::size_t i = 0; i < group.size(); ++i) {
        group.emit(i, out, hide_managed_fields);
    }
    out.end_array();
    simdjson::dom::parser parser;
    const simdjson::dom::array objects = parser.parse(out.text()).get_array().value();
    std::vector<sort_key> keys;
    bool found_once = false;
    for (const simdjson::dom::element object : objects) {
        keys.push_back(sort_key_of(jsonpath::find_results(*parsed, object, true), field));
        found_once = found_once || keys.back().kind != sort_key::type::missing;
    }
    if (!keys.empty() && !found_once) {
        throw cli_error(2, "error: couldn't find any field with path \"" + field +
                               "\" in the list of objects\n");
    }
    std::vector<std::size_t> order(keys.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const sort_key& x = keys[a];
        const sort_key& y = keys[b];
        if (x.kind != y.kind) {
            return x.kind < y.kind;
        }
        if (x.kind == sort_key::type::number) {
            return x.number < y.number;
        }
        return x.kind == sort_key::type::text && natural_less(x.text, y.text);
    });
    group.select(order);
}

} // namespace

found find_objects(const get_plan& plan, const arguments& args,
                   const std::optional<svcdisc::label_selector>& selector, session& s) {
    found result;
    const std::string_view namespace_ =
        args.all_namespaces ? std::string_view() : std::string_view(args.namespace_);
    for (const target& t : plan.targets) {
        auto group = t.kind->list(*t.kind, s, namespace_);
        std::vector<std::size_t> order;
        if (!t.names.empty()) {
            for (const auto& name : t.names) {
                const std::size_t before = order.size();
                for (std::size_t i = 0; i < group->size(); ++i) {
                    if (group->metadata(i).name == name) {
                        order.push_back(i);
                    }
                }
                if (order.size() == before) {
                    result.errors += not_found(t.kind->qualified_plural(), name).err;
                }
            }
            group->select(order);
        } else if (selector) {
            for (std::size_t i = 0; i < group->size(); ++i) {
                if (selector->matches(group->metadata(i).labels)) {
                    order.push_back(i);
                }
            }
            group->select(order);
        }
        if (args.sort_by && group->size() > 1) {
            sort_group(*group, *args.sort_by, !args.show_managed_fields);
        }
        result.total += group->size();
        result.groups.push_back(std::move(group));
    }
    return result;
}

namespace {

/// Everything found, as `-o json` prints it, into `out`: the one object when a single object
/// was named, else a `v1 List`.
void emit_document(const found& f, bool single, bool hide_managed_fields, emitter& out) {
    if (single && f.total == 1) {
        for (const auto& g : f.groups) {
            if (g->size() == 1) {
                g->emit(0, out, hide_managed_fields);
            }
        }
        return;
    }
    out.begin_object();
    out.field("apiVersion", "v1");
    out.key("items");
    out.begin_array();
    for (const auto& g : f.groups) {
        for (std::size_t i = 0; i < g->size(); ++i) {
            g->emit(i, out, hide_managed_fields);
        }
    }
    out.end_array();
    out.field("kind", "List");
    out.key("metadata");
    out.begin_object();
    out.field("resourceVersion", "");
    out.end_object();
    out.end_object();
}

/// `-o jsonpath=...` / `-o custom-columns=...` over the document `-o json` would print.
std::string print_template(const found& f, const get_plan& plan, const template_printer& t) {
    emitter out(emitter::format::json);
    emit_document(f, plan.single_item_implied, false, out);
    simdjson::dom::parser parser;
    const simdjson::dom::element root = parser.parse(out.text()).value();
    jsonpath::printed printed;
    if (t.jsonpath) {
        jsonpath::options options;
        options.json_output = t.as_json;
        printed = jsonpath::execute(*t.jsonpath, root, options);
        if (printed.error) {
            throw cli_error(2, "error: " + jsonpath::kubectl_execute_error(t.jsonpath_text,
                                                                           *printed.error, root));
        }
        return printed.text;
    }
    printed = custom_columns::print(*t.columns, root);
    if (printed.error) {
        throw cli_error(2, "error: " + *printed.error + "\n");
    }
    return printed.text;
}

/// The tables kubectl prints: one per kind, a blank line between them (unless --no-headers),
/// `kind/name` names when several kinds were asked for or with --show-kind.
std::string print_tables(const found& f, const get_plan& plan, const arguments& args) {
    std::set<const resource_kind*> kinds;
    for (const target& t : plan.targets) {
        kinds.insert(t.kind);
    }
    const bool with_kind = args.show_kind || kinds.size() > 1;
    const cell_context context{now_seconds(), args.output == "wide"};
    std::string out;
    for (const auto& g : f.groups) {
        if (g->size() == 0) {
            continue;
        }
        if (!out.empty() && !args.no_headers) {
            out += '\n';
        }
        const bool with_namespace = args.all_namespaces && g->kind().namespaced;
        const std::string prefix = with_kind ? g->kind().qualified_singular() + "/" : "";
        table t;
        if (with_namespace) {
            t.header.emplace_back("NAMESPACE");
        }
        for (auto& h : g->headers(context.wide)) {
            t.header.push_back(std::move(h));
        }
        for (const auto& key : args.label_columns) {
            std::string header(key.substr(key.rfind('/') + 1));
            std::transform(header.begin(), header.end(), header.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            t.header.push_back(std::move(header));
        }
        if (args.show_labels) {
            t.header.emplace_back("LABELS");
        }
        t.rows.reserve(g->size());
        for (std::size_t i = 0; i < g->size(); ++i) {
            const svcdisc::object_meta& meta = g->metadata(i);
            std::vector<std::string>& cells = t.rows.emplace_back();
            cells.reserve(t.header.size());
            if (with_namespace) {
                cells.push_back(meta.namespace_);
            }
            const std::size_t name_cell = cells.size();
            g->cells(i, context, cells);
            if (with_kind) {
                cells[name_cell].insert(0, prefix);
            }
            for (const auto& key : args.label_columns) {
                cells.emplace_back(meta.labels.find_value(key).value_or(""));
            }
            if (args.show_labels) {
                cells.push_back(format_labels(meta.labels));
            }
        }
        out += t.render(args.no_headers);
    }
    return out;
}

/// kubectl's message for an empty result (on stderr, exit 0).
std::string empty_message(const get_plan& plan, const arguments& args) {
    const bool all_namespaced =
        !args.all_namespaces && std::all_of(plan.targets.begin(), plan.targets.end(),
                                            [](const target& t) { return t.kind->namespaced; });
    if (!all_namespaced) {
        return "No resources found\n";
    }
    return "No resources found in " + args.namespace_ + " namespace.\n";
}

} // namespace

command_result run_get(const arguments& args) {
    const get_plan plan = plan_of(args.positional);
    const bool named = std::any_of(plan.targets.begin(), plan.targets.end(),
                                   [](const target& t) { return !t.names.empty(); });
    if (named && args.selector) {
        usage_error("name cannot be provided when a selector is specified");
    }
    if (args.show_labels && !args.output.empty() && args.output != "wide") {
        usage_error("--show-labels option cannot be used with " + args.output + " printer");
    }
    // Bad flags are usage errors: say so before reading (possibly 100 MB of) input.
    std::optional<svcdisc::label_selector> selector;
    if (args.selector) {
        selector = parse_cli_selector(*args.selector, "--selector");
    }
    std::optional<template_printer> printer;
    if (is_template_format(args.output)) {
        printer = parse_template(args);
    }
    session& s = open_session(args);
    const auto list_start = clock_type::now();
    const found f = find_objects(plan, args, selector, s);
    const double list_seconds = seconds_since(list_start);
    const auto print_start = clock_type::now();
    command_result result;
    result.err = f.errors;
    result.code = f.errors.empty() ? 0 : 1;
    const bool hide_managed_fields = !args.show_managed_fields;
    if (f.total == 0 && f.errors.empty()) {
        result.err = empty_message(plan, args);
    } else if (f.total == 0) {
        // Only NotFound errors: nothing to print.
    } else if (args.output == "name") {
        for (const auto& g : f.groups) {
            const std::string prefix = g->kind().qualified_singular() + "/";
            for (std::size_t i = 0; i < g->size(); ++i) {
                result.out += prefix + g->metadata(i).name + "\n";
            }
        }
    } else if (args.output == "json" || args.output == "yaml") {
        emitter out(args.output == "json" ? emitter::format::json : emitter::format::yaml);
        // Everything is read, checked and derived by now, so nothing can fail any more and the
        // (possibly very large) document can go straight to stdout.
        out.stream_to(stdout);
        emit_document(f, plan.single_item_implied, hide_managed_fields, out);
        out.finish();
    } else if (printer) {
        result.out = print_template(f, plan, *printer);
    } else {
        result.out = print_tables(f, plan, args);
    }
    if (args.timings) {
        std::string kinds;
        for (const auto& g : f.groups) {
            kinds += (kinds.empty() ? "" : ",") + std::string(g->kind().plural);
        }
        std::fprintf(stderr,
                     "timings: read %.3fs, derive %.3fs, write %.3fs (%zu pods, %zu services, "
                     "%zu %s)\n",
                     s.read_seconds, list_seconds, seconds_since(print_start), s.data.pods.size(),
                     s.data.services.size(), f.total, kinds.c_str());
    }
    return result;
}

} // namespace svcdisc_cli
