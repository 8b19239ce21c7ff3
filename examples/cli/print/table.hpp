#pragma once

#include <string>
#include <vector>

namespace svcdisc_cli {

/// A table as kubectl prints it: Go's tabwriter with minimum cell width 6 and 3 spaces of
/// padding; the last column is not padded.
struct table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    [[nodiscard]] std::string render(bool no_headers) const;
};

} // namespace svcdisc_cli
