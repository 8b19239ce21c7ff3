#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svcdisc/labels.hpp>

namespace svcdisc {

/// The protocol the API server writes into a port that names none (container, Service and
/// Endpoints ports alike; docs/model.md).
inline constexpr std::string_view default_protocol = "TCP";

namespace detail {
/// Kubernetes reads only the first condition of a type (IsPodReady, the topology cache's node
/// check): a later condition of the same type never counts, and an absent one means false.
template <class Conditions>
[[nodiscard]] bool first_condition_is_true(const Conditions& conditions,
                                           std::string_view type) noexcept {
    for (const auto& condition : conditions) {
        if (std::string_view(condition.type) == type) {
            return std::string_view(condition.status) == "True";
        }
    }
    return false;
}
} // namespace detail

/// A reference to another object (Kubernetes' ObjectReference), e.g. an address' targetRef.
template <class String>
struct basic_object_reference {
    String kind;
    String namespace_;
    String name;
    String uid;
    String api_version;
    String resource_version;
    String field_path;

    friend bool operator==(const basic_object_reference&, const basic_object_reference&) = default;
};

/// An owner of an object (Kubernetes' OwnerReference), e.g. the Service that owns a slice.
template <class String>
struct basic_owner_reference {
    String api_version;
    String kind;
    String name;
    String uid;
    bool controller = false;
    bool block_owner_deletion = false;

    friend bool operator==(const basic_owner_reference&, const basic_owner_reference&) = default;
};

/// The metadata every object carries (the fields of Kubernetes' ObjectMeta svcdisc uses).
///
/// `namespace_` has a trailing underscore because `namespace` is a C++ keyword. Timestamps
/// stay RFC 3339 text, as they appear in manifests; absent means not set.
template <class String>
struct basic_object_meta {
    String name;
    String generate_name;
    String namespace_;
    String uid;
    String resource_version;
    std::optional<String> creation_timestamp;
    std::optional<String> deletion_timestamp;
    basic_label_set<String> labels;
    basic_label_set<String> annotations;
    std::vector<basic_owner_reference<String>> owner_references;

    friend bool operator==(const basic_object_meta&, const basic_object_meta&) = default;
};

using object_reference = basic_object_reference<std::string>;
using owner_reference = basic_owner_reference<std::string>;
using object_meta = basic_object_meta<std::string>;

} // namespace svcdisc
