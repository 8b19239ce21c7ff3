#include "print/table.hpp"

#include <algorithm>

namespace svcdisc_cli {

std::string table::render(bool no_headers) const {
    constexpr std::size_t min_width = 6;
    constexpr std::size_t padding = 3;
    std::vector<std::size_t> widths(header.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i + 1 < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    };
    if (!no_headers) {
        measure(header);
    }
    for (const auto& row : rows) {
        measure(row);
    }
    std::string out;
    auto print = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size()) {
                out.append(std::max(min_width, widths[i] + padding) - row[i].size(), ' ');
            }
        }
        out += '\n';
    };
    if (!no_headers) {
        print(header);
    }
    for (const auto& row : rows) {
        print(row);
    }
    return out;
}

} // namespace svcdisc_cli
