#pragma once

#include <array>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <svcdisc/detail/go/md5.hpp>

/// The Go debug-dump (go-spew `%#v` as configured by Kubernetes' DeepHashObject / dump.ForHash)
/// of the API types whose hash decides an order in Kubernetes' output: the Endpoints controller
/// sorts ports and subsets by the MD5 of their dump (docs/endpoints.md), the EndpointSlice
/// controller ports by its FNV-128a (docs/endpoint-slices.md).
///
/// The dump is the exact byte string Go would feed its hasher, so svcdisc hashes the same bytes
/// and gets the same order. It is written piece by piece into any sink with
/// `update(std::string_view)` — md5_hasher and fnv128a_hasher directly (no string is built), or
/// string_dump_sink when the text itself is wanted.
///
/// Shape rules (go-spew `%#v`, pointer addresses and methods disabled):
///   - a value at top level or in a struct field carries its Go type: `(int32)8080`,
///     `(v1.Protocol)TCP`, `(*string)node-a`;
///   - strings are written raw, without quotes (an empty string writes nothing after the type);
///   - a nil pointer or nil slice writes `(T)<nil>`;
///   - a struct writes `(T){Field1:<v> Field2:<v>}`, fields in Go declaration order, one space
///     apart;
///   - a slice writes `([]T)[e1 e2]`; its elements carry no type: a struct element is `{…}`.
namespace svcdisc::detail {

/// Where a dump goes: anything with `update(std::string_view)` (md5_hasher, fnv128a_hasher,
/// string_dump_sink).
template <class Sink>
concept go_dump_sink = requires(Sink& sink, std::string_view text) {
    sink.update(text);
};

/// A sink that keeps the dump as text (tests, debugging, error messages).
struct string_dump_sink {
    std::string text;
    void update(std::string_view piece) { text.append(piece); }
};

/// Writes one go-spew `%#v` dump into a sink. Stable API (other dumpers build on it):
///
///   string_value(T, v)   `(T)v`        a string, a named string type (`v1.Protocol`), or a
///                                       non-nil pointer to one (`*string`)
///   int32_value(T, v)    `(T)123`      an int32, or a non-nil pointer to one (`*int32`)
///   nil_value(T)         `(T)<nil>`    a nil pointer or nil slice
///   optional_string_value(T, v)         string_value when v holds a value, else nil_value
///   begin_struct(T)      `(T){`        T empty: `{` (a slice element); T may be `*v1.X`
///   field(name)          `Name:`       preceded by a space unless it is the first field
///   end_struct()         `}`
///   begin_slice(T)       `(T)[`        a non-nil slice (possibly empty)
///   element()            separator before each element (a space unless it is the first)
///   end_slice()          `]`
///   slice_value(T, r, f) a slice that is nil when `r` is empty, else `(T)[…]` calling f(x)
///                        for each element (f writes it with an empty type)
///
/// Example:
///     svcdisc::detail::string_dump_sink sink;
///     svcdisc::detail::go_dump_writer out(sink);
///     out.begin_struct("v1.EndpointPort");
///     out.field("Name");
///     out.string_value("string", "http");
///     out.field("Port");
///     out.int32_value("int32", 8080);
///     out.end_struct();
///     // sink.text == "(v1.EndpointPort){Name:(string)http Port:(int32)8080}"
template <go_dump_sink Sink>
class go_dump_writer {
  public:
    explicit go_dump_writer(Sink& sink) noexcept : sink_(&sink) {}

    /// Raw bytes, for shapes the helpers below do not cover.
    void text(std::string_view raw) { sink_->update(raw); }

    void string_value(std::string_view go_type, std::string_view value) {
        type_prefix(go_type);
        sink_->update(value);
    }

    void int32_value(std::string_view go_type, std::int32_t value) {
        type_prefix(go_type);
        std::array<char, 16> digits{};
        const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), value);
        sink_->update(
            std::string_view(digits.data(), static_cast<std::size_t>(written.ptr - digits.data())));
    }

    void nil_value(std::string_view go_type) {
        type_prefix(go_type);
        sink_->update("<nil>");
    }

    /// A pointer to a string-like Go value: the text when `value` holds one, else `<nil>`.
    template <class Optional>
    void optional_string_value(std::string_view go_type, const Optional& value) {
        if (value) {
            string_value(go_type, *value);
        } else {
            nil_value(go_type);
        }
    }

    void begin_struct(std::string_view go_type) {
        type_prefix(go_type);
        sink_->update("{");
        at_open_ = true;
    }

    void field(std::string_view name) {
        separate();
        sink_->update(name);
        sink_->update(":");
    }

    void end_struct() {
        sink_->update("}");
        at_open_ = false;
    }

    void begin_slice(std::string_view go_type) {
        type_prefix(go_type);
        sink_->update("[");
        at_open_ = true;
    }

    void element() { separate(); }

    void end_slice() {
        sink_->update("]");
        at_open_ = false;
    }

    template <class Range, class WriteElement>
    void slice_value(std::string_view go_type, const Range& items, WriteElement&& write_element) {
        if (std::begin(items) == std::end(items)) {
            nil_value(go_type);
            return;
        }
        begin_slice(go_type);
        for (const auto& item : items) {
            element();
            write_element(item);
        }
        end_slice();
    }

  private:
    // A type is only absent for slice elements, which go-spew prints without one.
    void type_prefix(std::string_view go_type) {
        if (!go_type.empty()) {
            sink_->update("(");
            sink_->update(go_type);
            sink_->update(")");
        }
    }

    // Only the position right after `{` or `[` goes without a separating space, so one flag
    // serves every nesting depth: closing a bracket always leaves a completed value behind.
    void separate() {
        if (!at_open_) {
            sink_->update(" ");
        }
        at_open_ = false;
    }

    Sink* sink_;
    bool at_open_ = false;
};

/// A core/v1 ObjectReference seen through string views, so dumps can be written from any
/// storage (svcdisc's model, or a pod read through pod_traits) without copying.
struct object_reference_view {
    std::string_view kind;
    std::string_view namespace_;
    std::string_view name;
    std::string_view uid;
    std::string_view api_version;
    std::string_view resource_version;
    std::string_view field_path;
};

/// A core/v1 EndpointAddress seen through string views (see object_reference_view).
struct endpoint_address_view {
    std::string_view ip;
    std::string_view hostname;
    std::optional<std::string_view> node_name;
    std::optional<object_reference_view> target_ref;
};

/// A core/v1 EndpointPort seen through string views (see object_reference_view).
struct endpoint_port_view {
    std::string_view name;
    std::int32_t port = 0;
    std::string_view protocol;
    std::optional<std::string_view> app_protocol;
};

/// core/v1 ObjectReference: Kind, Namespace, Name, UID, APIVersion, ResourceVersion,
/// FieldPath. `go_type` is "v1.ObjectReference", "*v1.ObjectReference" (a targetRef) or ""
/// (a slice element).
template <class Sink>
void dump_object_reference(go_dump_writer<Sink>& out, const object_reference_view& ref,
                           std::string_view go_type) {
    out.begin_struct(go_type);
    out.field("Kind");
    out.string_value("string", ref.kind);
    out.field("Namespace");
    out.string_value("string", ref.namespace_);
    out.field("Name");
    out.string_value("string", ref.name);
    out.field("UID");
    out.string_value("types.UID", ref.uid);
    out.field("APIVersion");
    out.string_value("string", ref.api_version);
    out.field("ResourceVersion");
    out.string_value("string", ref.resource_version);
    out.field("FieldPath");
    out.string_value("string", ref.field_path);
    out.end_struct();
}

/// core/v1 EndpointAddress: IP, Hostname, NodeName (*string), TargetRef
/// (*v1.ObjectReference). `go_type` is "v1.EndpointAddress" or "" (a slice element).
template <class Sink>
void dump_endpoint_address(go_dump_writer<Sink>& out, const endpoint_address_view& address,
                           std::string_view go_type) {
    out.begin_struct(go_type);
    out.field("IP");
    out.string_value("string", address.ip);
    out.field("Hostname");
    out.string_value("string", address.hostname);
    out.field("NodeName");
    out.optional_string_value("*string", address.node_name);
    out.field("TargetRef");
    if (address.target_ref) {
        dump_object_reference(out, *address.target_ref, "*v1.ObjectReference");
    } else {
        out.nil_value("*v1.ObjectReference");
    }
    out.end_struct();
}

/// core/v1 EndpointPort: Name, Port (int32), Protocol (v1.Protocol), AppProtocol (*string).
/// `go_type` is "v1.EndpointPort" or "" (a slice element).
template <class Sink>
void dump_endpoint_port(go_dump_writer<Sink>& out, const endpoint_port_view& port,
                        std::string_view go_type) {
    out.begin_struct(go_type);
    out.field("Name");
    out.string_value("string", port.name);
    out.field("Port");
    out.int32_value("int32", port.port);
    out.field("Protocol");
    out.string_value("v1.Protocol", port.protocol);
    out.field("AppProtocol");
    out.optional_string_value("*string", port.app_protocol);
    out.end_struct();
}

/// core/v1 EndpointSubset: Addresses, NotReadyAddresses, Ports, from any three ranges whose
/// elements `to_view` turns into endpoint_address_view / endpoint_port_view. Empty ranges are
/// written as nil slices: that is what RepackSubsets produces.
template <class Sink, class Addresses, class Ports, class AddressView, class PortView>
void dump_endpoint_subset(go_dump_writer<Sink>& out, const Addresses& addresses,
                          const Addresses& not_ready_addresses, const Ports& ports,
                          AddressView&& address_view, PortView&& port_view,
                          std::string_view go_type) {
    out.begin_struct(go_type);
    out.field("Addresses");
    out.slice_value("[]v1.EndpointAddress", addresses,
                    [&](const auto& a) { dump_endpoint_address(out, address_view(a), ""); });
    out.field("NotReadyAddresses");
    out.slice_value("[]v1.EndpointAddress", not_ready_addresses,
                    [&](const auto& a) { dump_endpoint_address(out, address_view(a), ""); });
    out.field("Ports");
    out.slice_value("[]v1.EndpointPort", ports,
                    [&](const auto& p) { dump_endpoint_port(out, port_view(p), ""); });
    out.end_struct();
}

/// MD5 of the dump of a core/v1 EndpointPort: the key Kubernetes sorts a subset's ports by.
[[nodiscard]] inline digest128 endpoint_port_md5(const endpoint_port_view& port) {
    md5_hasher hasher;
    go_dump_writer out(hasher);
    dump_endpoint_port(out, port, "v1.EndpointPort");
    return hasher.finish();
}

} // namespace svcdisc::detail
