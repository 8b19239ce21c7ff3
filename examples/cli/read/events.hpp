#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <svcdisc/controller.hpp>

#include "read/files.hpp"

namespace svcdisc_cli {

/// One watch event of the stream, converted into the model, and where it starts (1-based).
struct read_watch_event {
    svcdisc::watch_event event;
    std::size_t line = 0;
    std::size_t column = 0;
};

/// Reads a watch-event stream as `kubectl get … -w --output-watch-events` prints it, in either
/// format, told apart by the first non-blank character: `{` is `-o json` (JSON objects
/// `{"type": …, "object": …}` one after another, one per line or indented), anything else
/// `-o yaml` (one YAML document per event, `---` between them). Calls `sink` for each event of
/// a kind the controllers watch (Pod, Service, Endpoints, Node), in order, until it returns
/// false; BOOKMARK events and other kinds are skipped (`note` says so). Returns the positioned
/// error for the first event that cannot be read — events before it have reached `sink`.
std::optional<std::string> read_watch_events(const source_file& file,
                                             const std::string& default_namespace,
                                             const std::function<bool(read_watch_event&&)>& sink,
                                             const std::function<void(const std::string&)>& note);

} // namespace svcdisc_cli
