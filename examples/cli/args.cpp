#include "args.hpp"

#include <charconv>
#include <string_view>

#include "cli_error.hpp"

namespace svcdisc_cli {

void usage_error(const std::string& message) {
    throw cli_error(2, "error: " + message + "\nSee 'svcdisc --help' for usage.\n");
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
    {"service-cluster-ip-range", 0, true},
    {"service-node-port-range", 0, true},
    {"cluster-cidr", 0, true},
    {"simulate", 0, false},
};

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
        args.selector = value;
    } else if (name == "output") {
        if (value != "wide" && value != "yaml" && value != "json" && value != "name") {
            usage_error("unable to match a printer suitable for the output format \"" + value +
                        "\", allowed formats are: json,name,wide,yaml");
        }
        args.output = value;
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

std::string usage_text() {
    const std::string most = std::to_string(svcdisc::max_max_endpoints_per_slice);
    const std::string default_ = std::to_string(svcdisc::default_max_endpoints_per_slice);
    return R"(svcdisc: kubectl for service discovery, offline.

Reads Kubernetes manifests and cluster dumps (Pods, Services, Endpoints, EndpointSlices, Nodes)
and answers what the Endpoints and EndpointSlice controllers would publish, and why.

Usage:
  svcdisc get pods|services|endpoints|endpointslices|nodes [NAME] -f FILE [flags]
  svcdisc selector [--labels k=v,...] [-o json] [--] EXPR
  svcdisc explain service NAME [--pod POD] -f FILE [-o json]
  svcdisc check [--orphans] -f FILE [-o json]
  svcdisc services-for POD -f FILE [-o json]

Flags (before or after the command):
  -f, --filename FILE|DIR|-     input: a file, a directory (.yaml, .yml, .json) or - for stdin;
                                repeatable
  -R, --recursive               read directories recursively
  -n, --namespace NS            namespace to look in, and of objects without one (default: default)
  -A, --all-namespaces          look in every namespace
  -l, --selector EXPR           only objects whose labels match EXPR (e.g. app=web,tier!=db)
  -o, --output FORMAT           wide, yaml, json or name
      --no-headers              tables without the header line
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

Exit status: 0 success; 1 findings from check, or a named object not found; 2 usage or input
error (nothing is printed on stdout then).
)";
}

} // namespace svcdisc_cli
