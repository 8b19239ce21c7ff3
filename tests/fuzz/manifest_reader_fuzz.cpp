// Fuzz target: the svcdisc CLI's manifest reader (examples/cli/read/), YAML and JSON alike — the
// first non-blank byte decides, as for a file. Oracles: the reader either reads the input or
// throws the CLI's input error (exit code 2, a message starting with "error: " and ending in a
// newline, at most a few lines long: hostile text is never echoed whole); and every object it
// read can be printed back as read, in JSON and in YAML.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli_error.hpp"
#include "fuzz_support.hpp"
#include "print/emitter.hpp"
#include "read/cluster.hpp"
#include "read/files.hpp"
#include "read/input.hpp"

namespace {

using svcdisc_fuzz::require;

/// The longest error message the reader may print, whatever the input: its own words, a few
/// excerpts, and at most 160 bytes of the source line around the caret.
constexpr std::size_t max_message_bytes = 2048;

void emit_everything(const svcdisc_cli::input_store& store, const svcdisc_cli::cluster& read) {
    for (const auto format :
         {svcdisc_cli::emitter::format::json, svcdisc_cli::emitter::format::yaml}) {
        svcdisc_cli::emitter out(format);
        for (std::size_t i = 0; i < read.pods.size(); ++i) {
            store.emit_as_read(read.pod_origins[i], read.pods[i].metadata.namespace_, out);
        }
        for (const auto& e : read.services) {
            store.emit_as_read(e.from, e.object.metadata.namespace_, out);
        }
        for (const auto& e : read.endpoints_objects) {
            store.emit_as_read(e.from, e.object.metadata.namespace_, out);
        }
        for (const auto& e : read.slices) {
            store.emit_as_read(e.from, e.object.metadata.namespace_, out);
        }
        for (const auto& e : read.nodes) {
            store.emit_as_read(e.from, "", out);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    svcdisc_cli::input_store store;
    svcdisc_cli::cluster read;
    const svcdisc_cli::read_options options;
    try {
        store.read_source(svcdisc_cli::source_file::from_text("fuzz.yaml", text), options, read);
    } catch (const svcdisc_cli::cli_error& e) {
        const std::string_view message = e.what();
        require(e.exit_code == 2, "an input error exits with 2", message);
        require(message.starts_with("error: ") && message.ends_with("\n"),
                "an input error is one 'error: ' message ending in a newline", message);
        require(message.size() <= max_message_bytes,
                "an input error quotes only excerpts of the input", message);
        return 0;
    }
    emit_everything(store, read);
    return 0;
}
