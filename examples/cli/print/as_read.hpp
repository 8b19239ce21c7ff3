#pragma once

// The as-read printer: an object from the input, printed as `kubectl get -o json|yaml` prints
// what the API server stored.

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "print/emitter.hpp"
#include "read/manifest_kinds.hpp"
#include "read/value.hpp"

namespace svcdisc_cli {

namespace detail {

/// What the API server fills in that a manifest may leave out.
struct injection {
    std::string_view kind;
    std::string_view namespace_;
    /// kubectl's `-o json|yaml` leaves out metadata.managedFields unless
    /// `--show-managed-fields`.
    bool hide_managed_fields = true;
};

/// Emits `v` with its object keys sorted (kubectl's order), adding the kind and apiVersion
/// (at the top) and the namespace (in the top's metadata) the input left out.
template <manifest_value Value>
void emit_value(const Value& v, emitter& out, const injection* inject, bool top) {
    switch (v.kind()) {
    case value_kind::null:
        out.null();
        return;
    case value_kind::boolean:
        out.boolean(v.boolean());
        return;
    case value_kind::integer:
        out.integer(v.integer());
        return;
    case value_kind::floating:
        out.number_text(v.display());
        return;
    case value_kind::string:
        out.string(v.text());
        return;
    case value_kind::array:
        out.begin_array();
        v.elements([&](const Value& child) { emit_value(child, out, nullptr, false); });
        out.end_array();
        return;
    case value_kind::object:
        break;
    }
    std::vector<std::pair<std::string_view, Value>> members;
    const bool in_metadata = inject != nullptr && !top;
    v.members([&](std::string_view key, const Value& child) {
        if (!(in_metadata && inject->hide_managed_fields && key == "managedFields")) {
            members.emplace_back(key, child);
        }
    });
    std::vector<std::pair<std::string_view, std::string_view>> extra_scalars;
    if (inject != nullptr && top) {
        if (!v.get("apiVersion")) {
            extra_scalars.emplace_back("apiVersion", api_version_of(inject->kind));
        }
        if (!v.get("kind")) {
            extra_scalars.emplace_back("kind", inject->kind);
        }
    } else if (inject != nullptr && !inject->namespace_.empty() && !v.get("namespace")) {
        extra_scalars.emplace_back("namespace", inject->namespace_);
    }
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::sort(extra_scalars.begin(), extra_scalars.end());
    out.begin_object();
    auto extra = extra_scalars.begin();
    for (const auto& [key, child] : members) {
        for (; extra != extra_scalars.end() && extra->first < key; ++extra) {
            out.field(extra->first, extra->second);
        }
        out.key(key);
        const bool metadata = inject != nullptr && top && key == "metadata";
        emit_value(child, out, metadata ? inject : nullptr, false);
    }
    for (; extra != extra_scalars.end(); ++extra) {
        out.field(extra->first, extra->second);
    }
    out.end_object();
}

} // namespace detail

/// Prints `object`, parsed from the input, with its keys sorted as kubectl sorts them. The
/// apiVersion and kind (`kind`) and metadata.namespace (`namespace_`, when not empty) are
/// added where the input left them out, as the API server would have stored them;
/// metadata.managedFields is left out when `hide_managed_fields`.
template <manifest_value Value>
void emit_as_read(const Value& object, std::string_view kind, std::string_view namespace_,
                  emitter& out, bool hide_managed_fields) {
    const detail::injection inject{kind, namespace_, hide_managed_fields};
    detail::emit_value(object, out, &inject, true);
}

} // namespace svcdisc_cli
