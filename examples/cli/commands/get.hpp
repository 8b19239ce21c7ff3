#pragma once

// `get`: the table of resource kinds it lists (get_kinds.cpp). A kind is one resource_kind row
// plus a listing: its columns, how to list its objects and how to print one the controllers
// derived. get.cpp prints what it found of one kind or several.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/meta.hpp>

#include "args.hpp"
#include "commands/session.hpp"
#include "print/emitter.hpp"
#include "read/cluster.hpp"

namespace svcdisc_cli {

/// What a table cell may depend on besides its object.
struct cell_context {
    std::int64_t now = 0; ///< for AGE
    bool wide = false;    ///< `-o wide`
};

/// One object `get` lists: the model object, what the model leaves out that kubectl's columns
/// show (pod_extra, node_extra; none for most kinds), and where it was read (none for an
/// object the controllers derive).
template <class Object, class Extra = char>
struct listed {
    const Object* object = nullptr;
    const Extra* extra = nullptr;
    std::optional<origin> from;
};

/// A table column: its header and its cell for one listed object.
template <class Row>
struct column {
    std::string_view header;
    std::string (*cell)(const Row&, const cell_context&);
};

/// How `get` lists one kind.
template <class Object, class Extra = char>
struct listing {
    using object_type = Object;
    using extra_type = Extra;
    using row = listed<Object, Extra>;

    std::span<const column<row>> columns;
    /// Added by `-o wide`.
    std::span<const column<row>> wide_columns;
    /// The objects of namespace `namespace_` ("" for all), in the API server's order. What it
    /// points into lives in the session.
    std::vector<row> (*list)(session& s, std::string_view namespace_);
    /// Prints an object the controllers derived; objects read from the input print as read.
    void (*print_derived)(const Object&, emitter&);
};

struct resource_kind;

/// The objects of one kind that a `get` found, in the order they print. Type-erased so that
/// `get pods,services` can print kinds one after another.
class found_group {
  public:
    explicit found_group(const resource_kind& kind) : kind_(&kind) {}
    virtual ~found_group() = default;
    found_group(const found_group&) = delete;
    found_group& operator=(const found_group&) = delete;

    /// The kind every object of the group is.
    [[nodiscard]] const resource_kind& kind() const noexcept { return *kind_; }
    /// How many objects the group holds.
    [[nodiscard]] virtual std::size_t size() const = 0;
    /// Object i's metadata (name, namespace, labels) for filters, names and label columns.
    [[nodiscard]] virtual const svcdisc::object_meta& metadata(std::size_t i) const = 0;
    /// The headers of kubectl's table for the kind (`-o wide` adds some).
    [[nodiscard]] virtual std::vector<std::string> headers(bool wide) const = 0;
    /// Appends object i's cells, one per header.
    virtual void cells(std::size_t i, const cell_context& context,
                       std::vector<std::string>& out) const = 0;
    /// Prints object i as `-o json|yaml` shows it: as read (without metadata.managedFields when
    /// `hide_managed_fields`), or as the controllers derive it.
    virtual void emit(std::size_t i, emitter& out, bool hide_managed_fields) const = 0;
    /// Keeps the objects at `order`, in that order (a name filter, a selector, a sort).
    virtual void select(const std::vector<std::size_t>& order) = 0;

  private:
    const resource_kind* kind_;
};

/// A row of the table of resource kinds: the names kubectl knows the kind by and how to list
/// it.
struct resource_kind {
    std::string_view plural;                       ///< kubectl's resource name: `pods`
    std::string_view singular;                     ///< `pod`
    std::span<const std::string_view> short_names; ///< `po`
    std::string_view group;                        ///< API group; "" for the core group
    bool namespaced = true;
    /// The kind's objects in namespace `namespace_` ("" for all): list_group instantiated
    /// with its listing.
    std::unique_ptr<found_group> (*list)(const resource_kind&, session&,
                                         std::string_view namespace_);

    /// True when `word` names the kind: plural, singular or a short name, the first two also
    /// qualified by the group (`endpointslices.discovery.k8s.io`).
    [[nodiscard]] bool is_named(std::string_view word) const;
    /// `plural[.group]`, as kubectl's NotFound error names the resource.
    [[nodiscard]] std::string qualified_plural() const;
    /// `singular[.group]`, the prefix of `-o name` and of names in mixed-kind tables.
    [[nodiscard]] std::string qualified_singular() const;
};

/// The kinds `get` lists.
std::span<const resource_kind> resource_kinds();

/// found_group over one listing's rows.
template <class Object, class Extra>
class typed_group final : public found_group {
  public:
    using row = listed<Object, Extra>;

    typed_group(const resource_kind& kind, const listing<Object, Extra>& how, const session& s,
                std::vector<row> rows)
        : found_group(kind), how_(&how), session_(&s), rows_(std::move(rows)) {}

    [[nodiscard]] std::size_t size() const override { return rows_.size(); }
    [[nodiscard]] const svcdisc::object_meta& metadata(std::size_t i) const override {
        return rows_[i].object->metadata;
    }
    [[nodiscard]] std::vector<std::string> headers(bool wide) const override {
        std::vector<std::string> out;
        for (const auto& c : how_->columns) {
            out.emplace_back(c.header);
        }
        if (wide) {
            for (const auto& c : how_->wide_columns) {
                out.emplace_back(c.header);
            }
        }
        return out;
    }
    void cells(std::size_t i, const cell_context& context,
               std::vector<std::string>& out) const override {
        for (const auto& c : how_->columns) {
            out.push_back(c.cell(rows_[i], context));
        }
        if (context.wide) {
            for (const auto& c : how_->wide_columns) {
                out.push_back(c.cell(rows_[i], context));
            }
        }
    }
    void emit(std::size_t i, emitter& out, bool hide_managed_fields) const override {
        const row& r = rows_[i];
        if (r.from) {
            session_->store.emit_as_read(*r.from, r.object->metadata.namespace_, out,
                                         hide_managed_fields);
        } else {
            how_->print_derived(*r.object, out);
        }
    }
    void select(const std::vector<std::size_t>& order) override {
        std::vector<row> kept;
        kept.reserve(order.size());
        for (const std::size_t i : order) {
            kept.push_back(rows_[i]);
        }
        rows_ = std::move(kept);
    }

  private:
    const listing<Object, Extra>* how_;
    const session* session_;
    std::vector<row> rows_;
};

/// One kind to get, and the names asked for (none: every object in scope).
struct target {
    const resource_kind* kind;
    std::vector<std::string> names;
};

/// What the operands after `get` or `describe` ask for, as kubectl's ResourceTypeOrNameArgs
/// reads them: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`.
struct get_plan {
    std::vector<target> targets;
    /// One object named once: -o json|yaml prints it alone instead of in a List.
    bool single_item_implied = false;
};

/// The plan for `positional` (the command, then its operands); usage errors exit 2.
get_plan plan_of(const std::vector<std::string>& positional);

/// What a get found: the groups to print, kubectl's NotFound errors for missing names, and
/// how many objects there are in all.
struct found {
    std::vector<std::unique_ptr<found_group>> groups;
    std::string errors;
    std::size_t total = 0;
};

/// The objects `plan` asks for in the scope of `args` (namespace, -A), filtered by
/// `selector` and ordered by --sort-by.
found find_objects(const get_plan& plan, const arguments& args,
                   const std::optional<svcdisc::label_selector>& selector, session& s);

/// The objects of one kind in `namespace_` ("" for all), as `How` lists them.
template <const auto& How>
std::unique_ptr<found_group> list_group(const resource_kind& kind, session& s,
                                        std::string_view namespace_) {
    auto rows = How.list(s, namespace_);
    return std::make_unique<typed_group<typename std::remove_cvref_t<decltype(How)>::object_type,
                                        typename std::remove_cvref_t<decltype(How)>::extra_type>>(
        kind, How, s, std::move(rows));
}

} // namespace svcdisc_cli
