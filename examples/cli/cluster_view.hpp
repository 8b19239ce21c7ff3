#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>

#include "input.hpp"

namespace svcdisc_cli {

/// An Endpoints object or EndpointSlice as `get` shows it: derived by the library, or taken
/// from the input (`from` set) when no controller would touch it.
template <class Object>
struct shown {
    Object object;
    std::optional<origin> from;
};

/// The cluster as the controllers would leave it: input objects plus derived Endpoints and
/// EndpointSlices, with lookups by namespace.
class cluster_view {
  public:
    cluster_view(const cluster& c, std::size_t max_endpoints_per_slice,
                 svcdisc::node_policy policy);

    [[nodiscard]] svcdisc::node_policy policy() const noexcept { return options_.node_policy; }

    /// The pods of one namespace (contiguous: the input is sorted by namespace).
    [[nodiscard]] std::span<const svcdisc::pod> pods_in(std::string_view namespace_) const;
    /// The pods a Service's selector may pick (a superset, from the label postings); callers
    /// (and the library) still check the whole selector.
    [[nodiscard]] std::vector<const svcdisc::pod*> candidates(const svcdisc::service& svc) const;

    [[nodiscard]] const svcdisc::service* find_service(std::string_view namespace_,
                                                       std::string_view name) const;
    [[nodiscard]] const svcdisc::endpoints* find_input_endpoints(std::string_view namespace_,
                                                                 std::string_view name) const;
    [[nodiscard]] const svcdisc::node* find_node(std::string_view name) const;

    /// Endpoints objects (derived or kept), sorted by namespace and name; all namespaces when
    /// `namespace_` is empty.
    [[nodiscard]] std::vector<shown<svcdisc::endpoints>>
    endpoints(std::string_view namespace_) const;
    /// EndpointSlices (derived, mirrored or kept), sorted by namespace and name.
    [[nodiscard]] std::vector<shown<svcdisc::endpoint_slice>>
    slices(std::string_view namespace_) const;

    /// The derived Endpoints and slices of one Service (nullopt / empty when unmanaged).
    [[nodiscard]] std::optional<svcdisc::endpoints>
    derive_endpoints_for(const svcdisc::service& svc) const;
    [[nodiscard]] std::vector<svcdisc::endpoint_slice>
    derive_slices_for(const svcdisc::service& svc) const;

  private:
    struct namespace_index {
        std::string_view name;
        std::size_t first = 0;
        std::size_t last = 0;
    };
    /// A label of a pod in a namespace; the views point into the (immutable) input.
    struct label_key {
        std::string_view namespace_;
        std::string_view key;
        std::string_view value;
        friend bool operator==(const label_key&, const label_key&) = default;
    };
    struct label_key_hash {
        std::size_t operator()(const label_key& k) const noexcept {
            const std::hash<std::string_view> h;
            return h(k.namespace_) ^ (h(k.key) * 31) ^ (h(k.value) * 1000003);
        }
    };
    [[nodiscard]] const namespace_index* find_namespace(std::string_view name) const;

    const cluster& cluster_;
    svcdisc::endpoint_slice_options options_;
    std::vector<namespace_index> namespaces_;
    /// Pods (indexes into cluster.pods) carrying each label, per namespace.
    std::unordered_map<label_key, std::vector<std::size_t>, label_key_hash> postings_;
    std::vector<const svcdisc::node*> nodes_;
};

/// True when `slice` is written by the EndpointSlice or the mirroring controller.
bool is_controller_managed(const svcdisc::endpoint_slice& slice);

} // namespace svcdisc_cli
