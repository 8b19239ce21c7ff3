#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/derive_endpoint_slices.hpp>
#include <svcdisc/selector_index.hpp>

#include "commands/planned_pods.hpp"
#include "read/cluster.hpp"

namespace svcdisc_cli {

/// An Endpoints object or EndpointSlice as `get` shows it: derived by the library, or taken
/// from the input (`from` set) when no controller would touch it. An input object a
/// controller keeps unchanged is shown through a pointer into the input: a big dump's
/// EndpointSlices are not copied to be printed.
template <class Object>
class shown {
  public:
    /// An object the library derived.
    static shown derived(Object object) {
        shown s;
        s.owned_ = std::make_unique<Object>(std::move(object));
        s.object_ = s.owned_.get();
        return s;
    }
    /// An object of the input, which outlives what is shown; `from` when printed as read.
    static shown of_input(const Object& object, std::optional<origin> from) {
        shown s;
        s.object_ = &object;
        s.from_ = from;
        return s;
    }

    [[nodiscard]] const Object& object() const noexcept { return *object_; }
    /// The object to keep: moved out when derived, copied from the input otherwise.
    [[nodiscard]] Object take() && { return owned_ ? std::move(*owned_) : *object_; }
    [[nodiscard]] const std::optional<origin>& from() const noexcept { return from_; }

  private:
    shown() = default;

    std::unique_ptr<Object> owned_;
    const Object* object_ = nullptr;
    std::optional<origin> from_;
};

/// The cluster as the controllers would leave it: input objects plus derived Endpoints and
/// EndpointSlices, with lookups by namespace and a label index of the pods.
class cluster_view {
  public:
    cluster_view(const cluster& c, std::size_t max_endpoints_per_slice,
                 svcdisc::node_policy policy);

    [[nodiscard]] svcdisc::node_policy policy() const noexcept { return options_.node_policy; }

    /// The pods of one namespace (contiguous: the input is sorted by namespace).
    [[nodiscard]] std::span<const svcdisc::pod> pods_in(std::string_view namespace_) const;
    /// The pods a Service's selector selects, in input order (namespace, then name); none for
    /// a Service without a selector.
    [[nodiscard]] std::vector<const svcdisc::pod*> selected_pods(const svcdisc::service& svc) const;

    /// Namespaces whose pods are not in the input at all while their Endpoints or
    /// controller-written slices are (a `kubectl get svc,ep,endpointslices` dump): deriving
    /// there would empty every Service, so their captured objects are shown as read.
    [[nodiscard]] const std::vector<std::string>& captured_only_namespaces() const noexcept {
        return captured_only_;
    }

    /// The pods the input's workloads will create and the input lacks (plan_pods).
    [[nodiscard]] const std::vector<planned_pod>& planned_pods() const noexcept { return planned_; }
    /// The planned pods a Service's selector selects, in input order.
    [[nodiscard]] std::vector<const planned_pod*>
    planned_pods_selected(const svcdisc::service& svc) const;
    /// The planned pod of the workload `ref` (`deployment/web`) in `namespace_`, or null.
    [[nodiscard]] const planned_pod* find_planned(std::string_view namespace_,
                                                  std::string_view ref) const;

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
    /// The same, added to `into`: captured slices the controller keeps, through pointers.
    void show_slices_of(const svcdisc::service& svc,
                        std::vector<shown<svcdisc::endpoint_slice>>& into) const;

  private:
    const cluster& cluster_;
    svcdisc::endpoint_slice_options options_;
    /// The pods by their labels, each under its index in cluster.pods: pods before split_ in
    /// the first shard, the others (whole namespaces) in the second.
    std::array<svcdisc::selector_index<std::uint32_t>, 2> pods_by_labels_;
    std::size_t split_ = 0;
    std::vector<const svcdisc::node*> nodes_;
    std::vector<planned_pod> planned_;
    std::vector<std::string> captured_only_; // sorted
    [[nodiscard]] bool captured_only(std::string_view namespace_) const;
};

/// True when `slice` is written by the EndpointSlice controller.
bool is_slice_controller_managed(const svcdisc::endpoint_slice& slice);

/// True when `slice` is written by the EndpointSlice or the mirroring controller.
bool is_controller_managed(const svcdisc::endpoint_slice& slice);

} // namespace svcdisc_cli
