#include "read/input.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "cli_error.hpp"
#include "print/as_read.hpp"
#include "read/convert/objects.hpp"
#include "read/excerpt.hpp"
#include "read/files.hpp"
#include "read/json_backend.hpp"
#include "read/manifest_kinds.hpp"
#include "read/yaml_backend.hpp"

namespace svcdisc_cli {

namespace {

/// One input file and what it was parsed into.
struct parsed_file {
    explicit parsed_file(std::unique_ptr<source_file> s) : source(std::move(s)) {}

    std::unique_ptr<source_file> source;
    enum class format : std::uint8_t { yaml, json, json_list } how = format::yaml;
    /// format::json: the DOM.
    json_document json;
    /// format::json_list: the List's kind, and each item's text once one is printed.
    std::string list_kind;
    std::vector<std::string_view> item_texts;
    /// format::yaml: the documents. A JSON file is parsed as YAML too, but only when an
    /// error needs a position (simdjson keeps none).
    std::optional<yaml_stream> yaml;

    [[nodiscard]] std::string_view text() const { return source->bytes(); }
    [[nodiscard]] const std::string& name() const { return source->name(); }
};

} // namespace

struct input_store::impl {
    std::vector<std::unique_ptr<parsed_file>> files;
    const read_options* options = nullptr;
    cluster* out = nullptr;
    /// Parses single items of a List read On-Demand: to redo one On-Demand gave up on, and to
    /// print one as read.
    mutable json_list_reader list_reader;
    /// The objects read so far, in all files (see max_objects).
    std::size_t objects = 0;

    static const yaml_stream& positions(parsed_file& f) {
        if (!f.yaml) {
            f.yaml = yaml_stream::parse_for_positions(f.text());
        }
        return *f.yaml;
    }

    /// `error: FILE:LINE:COL: message`, the line, and a caret under the column. COL counts
    /// characters (code points), as libyaml's marks do.
    static std::string positioned(const parsed_file& f, text_position at,
                                  const std::string& message) {
        const std::string_view text = f.text();
        std::size_t line_start = 0;
        for (std::size_t l = 0; l < at.line && line_start < text.size(); ++l) {
            const auto newline = text.find('\n', line_start);
            line_start = newline == std::string_view::npos ? text.size() : newline + 1;
        }
        const std::size_t offset = offset_of_column(text, line_start, at.column);
        std::string rendered = "error: " + f.name() + ":" + std::to_string(at.line + 1) + ":" +
                               std::to_string(at.column + 1) + ": " + message + "\n";
        if (!text.empty()) {
            rendered += caret_excerpt(text, offset) + "\n";
        }
        return rendered;
    }

    /// The error for a field problem in the object at `from`, pointing at the field.
    std::string locate(const origin& from, const field_problem& problem,
                       const std::string& prefix) const {
        const std::string path = render_path(problem);
        return at_field(from, problem.path, problem.at_key,
                        prefix + (path.empty() ? "" : path + ": ") + problem.message);
    }

    /// `message`, pointing at the field `path` of the object at `from`, or at the nearest
    /// enclosing field the input has.
    std::string at_field(const origin& from, std::span<const field_step> path, bool at_key,
                         const std::string& message) const {
        parsed_file& f = *files[from.file];
        const auto at = positions(f).locate(from.document, from.item, path, at_key);
        if (!at) {
            return "error: " + f.name() + ": " + message + "\n";
        }
        return positioned(f, *at, message);
    }

    template <manifest_value Value>
    void read_object(const Value& v, std::string_view kind, const origin& from) {
        try {
            if (!convert_object(v, kind, from, options->default_namespace, *out) && options->note) {
                std::string name;
                if (const auto meta = v.get("metadata")) {
                    name = optional_text(*meta, "name");
                }
                options->note("ignoring " + printable_excerpt(kind) + " " + quoted_excerpt(name) +
                              " (" + files[from.file]->name() +
                              "): svcdisc reads Pods, Services, Endpoints, EndpointSlices, "
                              "Nodes and workloads");
            }
        } catch (const field_problem& problem) {
            if constexpr (!Value::reports_errors) {
                Value::give_up(); // the redo names the object and the position
            }
            std::string name;
            std::string namespace_;
            if (const auto meta = v.get("metadata"); meta && meta->kind() == value_kind::object) {
                name = optional_text(*meta, "name");
                namespace_ = optional_text(*meta, "namespace");
            }
            std::string error =
                locate(from, problem,
                       printable_excerpt(kind) + " " + quoted_excerpt(name) + " is invalid: ");
            if (!options->leave_out_invalid) {
                throw cli_error(2, error);
            }
            if (namespace_.empty() && is_namespaced(kind)) {
                namespace_ = options->default_namespace;
            }
            // Quoted as in messages: the name may be the very thing that is wrong (20 KB, a NUL).
            out->refused.push_back({printable_excerpt(kind), printable_excerpt(namespace_),
                                    printable_excerpt(name), first_line_of_error(error)});
        }
    }

    /// Counts one more object (a document, or an item of a List); once there are more than
    /// max_objects, the error, at byte `offset` of the file when known, else at the object.
    void count_object(const origin& from, std::size_t offset = std::string_view::npos) {
        if (++objects <= max_objects) {
            return;
        }
        const std::string message = "more than " + std::to_string(max_objects) +
                                    " objects, the most svcdisc reads (every document and List "
                                    "item counts)";
        const parsed_file& f = *files[from.file];
        if (offset != std::string_view::npos) {
            throw cli_error(2, positioned(f, position_at_offset(f.text(), offset), message));
        }
        throw cli_error(2, at_field(from, {}, false, message));
    }

    /// Makes room for `count` more pods: most of a big dump is pods, and moving them while
    /// the vectors grow costs more than reserving once.
    void reserve_pods(std::size_t count) const {
        out->pods.reserve(out->pods.size() + count);
        out->pod_origins.reserve(out->pod_origins.size() + count);
        out->pod_extras.reserve(out->pod_extras.size() + count);
    }

    template <manifest_value Value>
    void read_document(const Value& doc, std::uint32_t file_index, std::uint32_t document) {
        const origin whole{file_index, document, -1};
        if (doc.kind() == value_kind::null) {
            return; // an empty document, e.g. after a trailing `---`
        }
        if (doc.kind() != value_kind::object) {
            field_problem problem;
            problem.message = "expected a Kubernetes object (a mapping with apiVersion, kind and "
                              "metadata), found " +
                              field_reader<Value>::describe(doc);
            throw cli_error(2, locate(whole, problem, ""));
        }
        const auto kind_value = doc.get("kind");
        if (!kind_value || kind_value->kind() != value_kind::string || kind_value->text().empty()) {
            field_problem problem;
            problem.message = "object has no kind: every manifest needs apiVersion and kind";
            throw cli_error(2, locate(whole, problem, ""));
        }
        const std::string_view kind = kind_value->text();
        const auto items = doc.get("items");
        if (!is_list_kind(kind) || !items) {
            count_object(whole);
            read_object(doc, kind, whole);
            return;
        }
        // `kind: List` holds any kinds; a typed list (PodList …) may leave them out.
        const std::string item_kind(listed_kind(kind));
        if (items->kind() != value_kind::array && items->kind() != value_kind::null) {
            field_problem problem;
            problem.path = {{"items"}};
            problem.message = "expected a list, found " + field_reader<Value>::describe(*items);
            throw cli_error(2, locate(whole, problem, std::string(kind) + ": "));
        }
        reserve_pods(items->size());
        std::int32_t index = 0;
        items->elements([&](const Value& item) {
            const origin from{file_index, document, index++};
            count_object(from);
            if (item.kind() != value_kind::object) {
                field_problem problem;
                problem.message = "expected a Kubernetes object in items, found " +
                                  field_reader<Value>::describe(item);
                throw cli_error(2, locate(from, problem, ""));
            }
            std::string own_kind = optional_text(item, "kind");
            if (own_kind.empty()) {
                own_kind = item_kind;
            }
            read_object(item, own_kind, from);
        });
    }

    /// Reads a JSON List On-Demand. Returns false, having kept nothing, when the file is no
    /// List or not valid JSON: the DOM then takes over and reports errors.
    bool read_json_list(parsed_file& f, std::uint32_t file_index) {
        const std::size_t pods = out->pods.size();
        const std::size_t services = out->services.size();
        const std::size_t endpoints = out->endpoints_objects.size();
        const std::size_t slices = out->slices.size();
        const std::size_t nodes = out->nodes.size();
        const std::size_t workloads = out->workloads.size();
        auto generated_names = out->generated_names;
        const std::size_t objects_before = objects;
        // Each pod of a dump is at least ~450 bytes of compact JSON (a real one some KB): a
        // vector that grows past its reserve moves every pod to memory never touched before.
        // Reserved memory that is not used costs nothing (the heap is mapped on first touch).
        const auto estimate_pods = [&] {
            reserve_pods(std::min(f.text().size() / 256, max_objects - objects));
        };
        const auto read_item = [&](const auto& item, std::string_view kind, std::int32_t index) {
            read_object(item, kind, origin{file_index, 0, index});
        };
        const auto count_item = [&](std::size_t offset) {
            count_object(origin{file_index, 0, -1}, offset);
        };
        auto list_kind = list_reader.read(f.text(), estimate_pods, count_item, read_item);
        if (!list_kind) {
            objects = objects_before;
            out->pods.resize(pods);
            out->pod_origins.resize(pods);
            out->pod_extras.resize(pods);
            out->services.resize(services);
            out->endpoints_objects.resize(endpoints);
            out->slices.resize(slices);
            out->nodes.resize(nodes);
            out->workloads.resize(workloads);
            out->generated_names = std::move(generated_names);
            return false;
        }
        f.list_kind = std::move(*list_kind);
        return true;
    }

    void read_file(std::unique_ptr<source_file> source) {
        const auto file_index = static_cast<std::uint32_t>(files.size());
        files.push_back(std::make_unique<parsed_file>(std::move(source)));
        parsed_file& current = *files.back();
        const std::string_view text = current.text();
        // simdjson's buffers take up to 5 times the JSON's bytes (4 for the structural
        // indexes), the model about 2.5 to 4 times.
        prepare_heap(9 * text.size());
        const auto first = text.find_first_not_of(" \t\r\n");
        if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
            // JSON: a List On-Demand, anything else (and a List On-Demand stopped on) through
            // simdjson's DOM, which rejects what is not strictly JSON.
            if (read_json_list(current, file_index)) {
                current.how = parsed_file::format::json_list;
                return;
            }
            const auto error = current.json.parse(text);
            if (error != simdjson::SUCCESS) {
                const json_syntax_error found = json_error(text, error);
                throw cli_error(
                    2, positioned(current, position_at_offset(text, found.offset), found.message));
            }
            current.how = parsed_file::format::json;
            read_document(current.json.root(), file_index, 0);
            return;
        }
        try {
            current.yaml = yaml_stream::parse(text);
        } catch (const yaml_syntax_error& e) {
            throw cli_error(2, positioned(current, e.at, e.message));
        }
        for (std::size_t i = 0; i < current.yaml->size(); ++i) {
            const auto document = static_cast<std::uint32_t>(i);
            read_document(current.yaml->object(document, -1), file_index, document);
        }
    }
};

input_store::input_store() : impl_(std::make_unique<impl>()) {}
input_store::~input_store() = default;

void input_store::read(const read_options& options, cluster& out) {
    impl_->options = &options;
    impl_->out = &out;
    for (const auto& path : options.paths) {
        if (path == "-") {
            impl_->read_file(source_file::from_stdin());
            continue;
        }
        for (const auto& name : manifest_paths(path, options.recursive)) {
            auto source = source_file::open(name);
            if (options.note) {
                options.note("reading " + name);
            }
            impl_->read_file(std::move(source));
        }
    }
    sort_and_deduplicate(out, options.note);
}

void input_store::read_source(std::unique_ptr<source_file> source, const read_options& options,
                              cluster& out) {
    impl_->options = &options;
    impl_->out = &out;
    impl_->read_file(std::move(source));
}

std::string input_store::field_error(const origin& from, const std::vector<field_step>& path,
                                     const std::string& message) const {
    return impl_->at_field(from, path, false, message);
}

void input_store::emit_as_read(const origin& from, std::string_view namespace_, emitter& out,
                               bool hide_managed_fields) const {
    parsed_file& f = *impl_->files[from.file];
    // An item of a typed list may leave out its kind; the list's name gives it.
    auto emit = [&](const auto& object, std::string_view list_kind) {
        std::string kind = optional_text(object, "kind");
        if (kind.empty()) {
            kind = listed_kind(list_kind);
        }
        svcdisc_cli::emit_as_read(object, kind, namespace_, out, hide_managed_fields);
    };
    const auto item = static_cast<std::size_t>(from.item);
    switch (f.how) {
    case parsed_file::format::json_list: {
        if (f.item_texts.empty()) {
            f.item_texts = list_item_texts(f.text());
        }
        if (const auto parsed = impl_->list_reader.parse_item(f.item_texts[item])) {
            emit(*parsed, f.list_kind);
        }
        return;
    }
    case parsed_file::format::json:
        if (from.item < 0) {
            emit(f.json.root(), "");
        } else {
            emit(f.json.items()[item], optional_text(f.json.root(), "kind"));
        }
        return;
    case parsed_file::format::yaml:
        if (from.item < 0) {
            emit(f.yaml->object(from.document, -1), "");
        } else {
            emit(f.yaml->object(from.document, from.item),
                 optional_text(f.yaml->object(from.document, -1), "kind"));
        }
        return;
    }
}

} // namespace svcdisc_cli
