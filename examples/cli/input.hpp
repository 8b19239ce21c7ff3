#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/node.hpp>
#include <svcdisc/pod.hpp>
#include <svcdisc/service.hpp>

namespace svcdisc_cli {

class emitter;

/// A failure the tool reports and exits with: the message is printed to stderr as is, and the
/// exit code follows CONTRACTS.md (1 not found, 2 usage or input error).
struct cli_error : std::runtime_error {
    cli_error(int code, std::string message)
        : std::runtime_error(std::move(message)), exit_code(code) {}
    int exit_code;
};

/// Where an object came from: a file, a document in it, and its index in a List's items (-1
/// when the document is the object itself).
struct origin {
    std::uint32_t file = 0;
    std::uint32_t document = 0;
    std::int32_t item = -1;
};

/// What `kubectl get pods` shows that the library model does not carry.
struct pod_extra {
    int ready_containers = 0;
    int total_containers = 0;
    std::int64_t restarts = 0;
    std::string status;
    std::string nominated_node;
};

/// What `kubectl get nodes` shows that the library model does not carry.
struct node_extra {
    bool unschedulable = false;
    std::string kubelet_version;
    std::string internal_ip;
    std::string external_ip;
};

template <class Object, class Extra = char>
struct entry {
    Object object;
    origin from;
    Extra extra{};
};

/// Everything read from the input, API defaults applied, each kind sorted by namespace and
/// name (the order the API server lists objects in). Pods are kept in one contiguous vector so
/// a namespace's pods are one span.
struct cluster {
    std::vector<svcdisc::pod> pods;
    std::vector<origin> pod_origins;
    std::vector<pod_extra> pod_extras;
    std::vector<entry<svcdisc::service>> services;
    std::vector<entry<svcdisc::endpoints>> endpoints_objects;
    std::vector<entry<svcdisc::endpoint_slice>> slices;
    std::vector<entry<svcdisc::node, node_extra>> nodes;
};

struct read_options {
    std::vector<std::string> paths;
    bool recursive = false;
    std::string default_namespace = "default";
    /// Receives `-v` notes (ignored kinds, files read); may be empty.
    std::function<void(const std::string&)> note;
};

/// The parsed input files. They stay alive so objects can be printed exactly as they were read
/// and so errors found after parsing can still point at a line and column.
class input_store {
  public:
    input_store();
    ~input_store();
    input_store(const input_store&) = delete;
    input_store& operator=(const input_store&) = delete;

    /// Reads every path into `out`. Throws cli_error (exit 2) with a positioned message on bad
    /// input.
    void read(const read_options& options, cluster& out);

    /// Prints the object at `from` as it was read (keys sorted, as kubectl does), with
    /// metadata.namespace set to `namespace_` when the input left it out.
    void emit_as_read(const origin& from, std::string_view namespace_, emitter& out) const;

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace svcdisc_cli
