#include "args.hpp"

#include <charconv>
#include <string_view>

#include "cli_error.hpp"
#include "read/excerpt.hpp"
#include "read/value.hpp"

namespace svcdisc_cli {

void usage_error(const std::string& message) {
    throw cli_error(2, "error: " + message + "\nSee 'svcdisc --help' for usage.\n");
}

void check_selector_length(std::string_view text, std::string_view what) {
    if (text.size() <= max_selector_bytes) {
        return;
    }
    std::size_t at = max_selector_bytes;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0U) == 0x80U) {
        --at; // inside a character: point at its start
    }
    const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1) + 1; // npos + 1 == 0
    throw cli_error(
        2, "error: " + std::string(what) +
               ":1:" + std::to_string(characters_in(text.substr(line_start), at - line_start) + 1) +
               ": selector is longer than " + std::to_string(max_selector_bytes) +
               " bytes, the most svcdisc reads\n" + caret_excerpt(text, at) + "\n");
}

namespace {

struct flag_spec {
    std::string_view long_name;
    char short_name;
    bool takes_value;
};

constexpr flag_spec flags[] = {
    {"filename", 'f', true},
    {"recursive", 'R', false},
    {"namespace", 'n', true},
    {"all-namespaces", 'A', false},
    {"selector", 'l', true},
    {"output", 'o', true},
    {"no-headers", 0, false},
    {"verbose", 'v', false},
    {"help", 'h', false},
    {"version", 0, false},
    {"timings", 0, false},
    {"max-endpoints-per-slice", 0, true},
    {"node-policy", 0, true},
    {"labels", 0, true},
    {"pod", 0, true},
    {"orphans", 0, false},
    {"show-labels", 0, false},
    {"show-kind", 0, false},
    {"show-managed-fields", 0, false},
    {"label-columns", 'L', true},
    {"sort-by", 0, true},
    {"from-node", 0, true},
    {"external", 0, false},
    {"events", 0, true},
    {"service-cluster-ip-range", 0, true},
    {"service-node-port-range", 0, true},
    {"cluster-cidr", 0, true},
    {"simulate", 0, false},
};

/// The -o formats, as kubectl lists them in its error (those svcdisc has).
constexpr std::string_view output_formats =
    "custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,"
    "yaml";

/// Formats that take `=TEMPLATE` (or `=FILE`), and kubectl's error when it is missing.
struct template_format {
    std::string_view name;
    std::string_view missing;
};
constexpr template_format template_formats[] = {
    {"jsonpath", "template format specified but no template given"},
    {"jsonpath-as-json", "template format specified but no template given"},
    {"jsonpath-file", "template format specified but no template file given"},
    {"custom-columns", "custom-columns format specified but no custom columns given"},
    {"custom-columns-file", "custom-columns format specified but no custom columns given"},
};

void apply_output(arguments& args, const std::string& value) {
    const auto eq = value.find('=');
    const std::string format = value.substr(0, eq);
    for (const auto& t : template_formats) {
        if (t.name == format) {
            if (eq == std::string::npos || eq + 1 == value.size()) {
                usage_error(std::string(t.missing));
            }
            args.output = format;
            args.output_template = value.substr(eq + 1);
            return;
        }
    }
    if (value != "wide" && value != "yaml" && value != "json" && value != "name") {
        usage_error("unable to match a printer suitable for the output format \"" + value +
                    "\", allowed formats are: " + std::string(output_formats));
    }
    args.output = value;
    args.output_template.clear();
}

/// Appends the keys of `-L a,b` (kubectl splits on commas and drops empty ones).
void add_label_columns(arguments& args, std::string_view value) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view key = value.substr(0, comma);
        if (!key.empty()) {
            args.label_columns.emplace_back(key);
        }
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
}

void apply(arguments& args, std::string_view name, const std::string& value) {
    if (name == "filename") {
        args.files.push_back(value);
    } else if (name == "recursive") {
        args.recursive = true;
    } else if (name == "namespace") {
        if (value.empty()) {
            usage_error("--namespace needs a non-empty value");
        }
        args.namespace_ = value;
        args.namespace_given = true;
    } else if (name == "all-namespaces") {
        args.all_namespaces = true;
    } else if (name == "selector") {
        check_selector_length(value, "--selector");
        args.selector = value;
    } else if (name == "output") {
        apply_output(args, value);
    } else if (name == "no-headers") {
        args.no_headers = true;
    } else if (name == "verbose") {
        args.verbose = true;
    } else if (name == "help") {
        args.help = true;
    } else if (name == "version") {
        args.version = true;
    } else if (name == "timings") {
        args.timings = true;
    } else if (name == "max-endpoints-per-slice") {
        std::size_t n = 0;
        const auto result = std::from_chars(value.data(), value.data() + value.size(), n);
        if (result.ec != std::errc() || result.ptr != value.data() + value.size() || n < 1 ||
            n > svcdisc::max_max_endpoints_per_slice) {
            usage_error("invalid value \"" + value +
                        "\" for --max-endpoints-per-slice: must be an integer from 1 to " +
                        std::to_string(svcdisc::max_max_endpoints_per_slice));
        }
        args.max_endpoints_per_slice = n;
    } else if (name == "node-policy") {
        if (value != "upstream" && value != "assume-present") {
            usage_error("invalid value \"" + value +
                        "\" for --node-policy: must be upstream or assume-present");
        }
        args.node_policy = value;
    } else if (name == "labels") {
        args.labels = value;
    } else if (name == "pod") {
        args.pod = value;
    } else if (name == "orphans") {
        args.orphans = true;
    } else if (name == "events") {
        args.events = value;
    } else if (name == "from-node") {
        args.from_node = value;
    } else if (name == "external") {
        args.external = true;
    } else if (name == "show-labels") {
        args.show_labels = true;
    } else if (name == "show-kind") {
        args.show_kind = true;
    } else if (name == "show-managed-fields") {
        args.show_managed_fields = true;
    } else if (name == "label-columns") {
        add_label_columns(args, value);
    } else if (name == "sort-by") {
        args.sort_by = value;
    } else if (name == "service-cluster-ip-range") {
        args.service_cluster_ip_range = value;
    } else if (name == "service-node-port-range") {
        args.service_node_port_range = value;
    } else if (name == "cluster-cidr") {
        args.cluster_cidr = value;
    } else if (name == "simulate") {
        args.simulate = true;
    }
}

const flag_spec* find_long(std::string_view name) {
    for (const auto& f : flags) {
        if (f.long_name == name) {
            return &f;
        }
    }
    return nullptr;
}

const flag_spec* find_short(char c) {
    for (const auto& f : flags) {
        if (f.short_name == c && c != 0) {
            return &f;
        }
    }
    return nullptr;
}

} // namespace

arguments parse_arguments(int argc, char** argv) {
    arguments args;
    bool flags_done = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto next_value = [&](std::string_view flag) -> std::string {
            if (i + 1 >= argc) {
                usage_error("flag needs an argument: " + std::string(flag));
            }
            return argv[++i];
        };
        if (flags_done || arg == "-" || arg.size() < 2 || arg[0] != '-') {
            args.positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            flags_done = true;
            continue;
        }
        if (arg[1] == '-') {
            const auto eq = arg.find('=');
            const std::string name =
                arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            const flag_spec* spec = find_long(name);
            if (spec == nullptr) {
                usage_error("unknown flag: --" + name);
            }
            if (spec->takes_value) {
                apply(args, spec->long_name,
                      eq == std::string::npos ? next_value(arg) : arg.substr(eq + 1));
            } else {
                if (eq != std::string::npos) {
                    const std::string value = arg.substr(eq + 1);
                    if (value == "false") {
                        continue;
                    }
                    if (value != "true") {
                        usage_error("invalid argument \"" + value + "\" for \"--" + name +
                                    "\" flag");
                    }
                }
                apply(args, spec->long_name, {});
            }
            continue;
        }
        // Short flags: -A, -RA (bundled booleans), -n NS, -nNS, -n=NS.
        for (std::size_t j = 1; j < arg.size(); ++j) {
            const flag_spec* spec = find_short(arg[j]);
            if (spec == nullptr) {
                usage_error("unknown shorthand flag: '" + std::string(1, arg[j]) + "' in " + arg);
            }
            if (!spec->takes_value) {
                apply(args, spec->long_name, {});
                continue;
            }
            std::string value = arg.substr(j + 1);
            if (!value.empty() && value.front() == '=') {
                value.erase(0, 1);
            } else if (value.empty()) {
                value = next_value(arg);
            }
            apply(args, spec->long_name, value);
            break;
        }
    }
    return args;
}

std::vector<std::string> flag_spellings() {
    std::vector<std::string> out;
    for (const auto& f : flags) {
        if (f.long_name == "timings") {
            continue; // hidden
        }
        out.push_back("--" + std::string(f.long_name));
        if (f.short_name != 0) {
            out.push_back(std::string("-") + f.short_name);
        }
    }
    return out;
}

std::string usage_text() {
    const std::string most = std::to_string(svcdisc::max_max_endpoints_per_slice);
    const std::string default_ = std::to_string(svcdisc::default_max_endpoints_per_slice);
    return R"(svcdisc: kubectl for service discovery, offline.

Reads Kubernetes manifests and cluster dumps (Pods, Services, Endpoints, EndpointSlices, Nodes)
and answers what the Endpoints and EndpointSlice controllers would publish, and why.

Usage:
  svcdisc get TYPE[,TYPE...] [NAME...] | TYPE/NAME... -f FILE [flags]
        TYPE: pods (po), services (svc), endpoints (ep), endpointslices, nodes (no),
        deployments (deploy), replicasets (rs), statefulsets (sts), daemonsets (ds), jobs,
        cronjobs (cj), replicationcontrollers (rc), all
  svcdisc describe pods|services|endpoints|endpointslices [NAME...] | TYPE/NAME... -f FILE
  svcdisc selector [--labels k=v,...] [-o json] [--] EXPR
  svcdisc explain service NAME [--pod POD] -f FILE [-o json]
  svcdisc check [--orphans] -f FILE [-o json]
  svcdisc services-for POD -f FILE [-o json]
  svcdisc replay -f FILE --events FILE|- [-o json|yaml]
  svcdisc route SERVICE [--from-node NODE] [--external] -f FILE [-o json]
  svcdisc completion bash|zsh

Flags (before or after the command):
  -f, --filename FILE|DIR|-     input: a file, a directory (.yaml, .yml, .json) or - for stdin;
                                repeatable
  -R, --recursive               read directories recursively
  -n, --namespace NS            namespace to look in, and of objects without one (default: default)
  -A, --all-namespaces          look in every namespace
  -l, --selector EXPR           only objects whose labels match EXPR (e.g. app=web,tier!=db)
  -o, --output FORMAT           wide, yaml, json, name, jsonpath=TEMPLATE, jsonpath-file=FILE,
                                jsonpath-as-json=TEMPLATE, custom-columns=SPEC or
                                custom-columns-file=FILE
      --no-headers              tables without the header line
      --show-labels             get: a LABELS column
  -L, --label-columns KEY,...   get: a column per label key
      --show-kind               get: names as kind/name
      --sort-by JSONPATH        get: objects ordered by a field (e.g. .metadata.name)
      --show-managed-fields     get -o json|yaml: keep metadata.managedFields
      --max-endpoints-per-slice N   endpoints per derived EndpointSlice, 1..)" +
           most + " (default " + default_ + R"()
      --node-policy POLICY      upstream (pods on unknown nodes are left out of slices) or
                                assume-present (every nodeName exists); default: upstream when
                                the input holds a Node, else assume-present
      --service-cluster-ip-range CIDR[,CIDR]   the Service ranges Services without clusterIP
                                get their addresses from; two of different families make the
                                cluster dual-stack (default: 10.96.0.0/12)
      --service-node-port-range A-B   the range of allocated node ports (default: 30000-32767)
      --simulate                the cluster after rollout: workloads' pods created, scheduled
                                round-robin on the input's Nodes, Running and Ready
      --cluster-cidr CIDR[,CIDR]   the pod network --simulate addresses pods from
                                (default: 10.244.0.0/16)
  -v, --verbose                 say which files were read, which objects were ignored and which
                                node policy applies
      --version                 print the version
  -h, --help                    print this help

Exit status: 0 success; 1 a warning from check (info findings alone exit 0), or a named object
not found; 2 usage or input error (nothing is printed on stdout then).
)";
}

} // namespace svcdisc_cli
