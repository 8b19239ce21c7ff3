#include <cstddef>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/derive_endpoints.hpp>

// The 1000-address cap of the Endpoints controller (truncateEndpoints), with the upstream test
// vectors
// (per-subset counts, in subset order).

namespace {

// Subsets with the given numbers of ready and not-ready addresses, every address distinct.
std::vector<svcdisc::endpoint_subset> subsets_of(const std::vector<std::size_t>& ready,
                                                 const std::vector<std::size_t>& not_ready) {
    std::vector<svcdisc::endpoint_subset> subsets(ready.size());
    std::size_t next = 0;
    const auto address = [&] {
        ++next;
        return svcdisc::endpoint_address{"10." + std::to_string(next / 65536) + "." +
                                             std::to_string(next / 256 % 256) + "." +
                                             std::to_string(next % 256),
                                         "", std::string("node-a"), std::nullopt};
    };
    for (std::size_t s = 0; s < subsets.size(); ++s) {
        for (std::size_t i = 0; i < ready[s]; ++i) {
            subsets[s].addresses.push_back(address());
        }
        for (std::size_t i = 0; i < not_ready[s]; ++i) {
            subsets[s].not_ready_addresses.push_back(address());
        }
        subsets[s].ports = {{"p" + std::to_string(s), 80, "TCP", std::nullopt}};
    }
    return subsets;
}

std::vector<std::size_t> ready_counts(const svcdisc::endpoints& eps) {
    std::vector<std::size_t> counts;
    for (const auto& s : eps.subsets) {
        counts.push_back(s.addresses.size());
    }
    return counts;
}

std::vector<std::size_t> not_ready_counts(const svcdisc::endpoints& eps) {
    std::vector<std::size_t> counts;
    for (const auto& s : eps.subsets) {
        counts.push_back(s.not_ready_addresses.size());
    }
    return counts;
}

bool annotated(const svcdisc::endpoints& eps) {
    return eps.metadata.annotations.find_value("endpoints.kubernetes.io/over-capacity") ==
           std::optional<std::string_view>("truncated");
}

using counts = std::vector<std::size_t>;

} // namespace

TEST_CASE("truncateEndpoints vector 1: only not-ready addresses are cut, proportionally") {
    svcdisc::endpoints eps;
    eps.subsets = subsets_of({90, 110, 50, 10, 20}, {101, 200, 200, 201, 298});
    CHECK(svcdisc::truncate_endpoints(eps));
    CHECK(ready_counts(eps) == counts{90, 110, 50, 10, 20});
    CHECK(not_ready_counts(eps) == counts{73, 144, 144, 145, 214});
    CHECK(svcdisc::endpoints_address_count(eps) == 1000);
    CHECK(annotated(eps));
}

TEST_CASE(
    "truncateEndpoints vector 2: too many ready addresses, ready cut, every not-ready dropped") {
    svcdisc::endpoints eps;
    eps.subsets = subsets_of({205, 400, 402, 400, 693}, {100, 200, 200, 200, 300});
    CHECK(svcdisc::truncate_endpoints(eps));
    CHECK(ready_counts(eps) == counts{98, 191, 192, 191, 328});
    CHECK(not_ready_counts(eps) == counts{0, 0, 0, 0, 0});
    CHECK(annotated(eps));
}

TEST_CASE("truncateEndpoints vector 3: exactly 1000 addresses are left alone, no annotation") {
    svcdisc::endpoints eps;
    eps.subsets = subsets_of({100, 100, 100, 100, 100}, {100, 100, 100, 100, 100});
    const auto before = eps.subsets;
    CHECK_FALSE(svcdisc::truncate_endpoints(eps));
    CHECK(eps.subsets == before);
    CHECK(eps.metadata.annotations.empty());
}

TEST_CASE("truncateEndpoints vector 4: 997 ready + 4 not-ready keeps 3 not-ready") {
    svcdisc::endpoints eps;
    eps.subsets = subsets_of({997}, {4});
    const auto before = eps.subsets;
    CHECK(svcdisc::truncate_endpoints(eps));
    CHECK(ready_counts(eps) == counts{997});
    CHECK(not_ready_counts(eps) == counts{3});
    // The first addresses of each list are the ones kept.
    CHECK(eps.subsets[0].not_ready_addresses ==
          std::vector(before[0].not_ready_addresses.begin(),
                      before[0].not_ready_addresses.begin() + 3));
    CHECK(annotated(eps));
}

TEST_CASE("truncateEndpoints vector 5: 1000 ready + 10 not-ready drops every not-ready") {
    svcdisc::endpoints eps;
    eps.subsets = subsets_of({1000}, {10});
    CHECK(svcdisc::truncate_endpoints(eps));
    CHECK(ready_counts(eps) == counts{1000});
    CHECK(not_ready_counts(eps) == counts{0});
    CHECK(annotated(eps));
}

TEST_CASE("truncateEndpoints vector 6: 1001 ready keeps the first 1000") {
    svcdisc::endpoints eps;
    eps.subsets = subsets_of({1001}, {0});
    const auto before = eps.subsets;
    CHECK(svcdisc::truncate_endpoints(eps));
    CHECK(ready_counts(eps) == counts{1000});
    CHECK(eps.subsets[0].addresses ==
          std::vector(before[0].addresses.begin(), before[0].addresses.begin() + 1000));
    CHECK(annotated(eps));
}

TEST_CASE("truncateEndpoints: an over-capacity value is overwritten, removed when under capacity") {
    svcdisc::endpoints eps;
    eps.metadata.annotations = {{"endpoints.kubernetes.io/over-capacity", "warning"},
                                {"other", "kept"}};
    eps.subsets = subsets_of({1001}, {0});
    CHECK(svcdisc::truncate_endpoints(eps));
    CHECK(annotated(eps));
    CHECK(eps.metadata.annotations.find_value("other") == std::optional<std::string_view>("kept"));
    CHECK_FALSE(svcdisc::truncate_endpoints(eps));
    CHECK_FALSE(eps.metadata.annotations.contains("endpoints.kubernetes.io/over-capacity"));
    CHECK(eps.metadata.annotations.find_value("other") == std::optional<std::string_view>("kept"));
}

TEST_CASE("truncateEndpoints: the remaining budget caps the last subsets") {
    // 3 not-ready subsets of 7 each with a budget of 10: ceil(7/21*10) = 4, 4, then only 2 left.
    std::vector<svcdisc::endpoint_subset> subsets = subsets_of({330, 330, 330}, {7, 7, 7});
    CHECK(svcdisc::truncate_endpoint_subsets(subsets));
    CHECK(subsets[0].not_ready_addresses.size() == 4);
    CHECK(subsets[1].not_ready_addresses.size() == 4);
    CHECK(subsets[2].not_ready_addresses.size() == 2);
}

TEST_CASE("truncateEndpoints: a smaller capacity can be passed") {
    std::vector<svcdisc::endpoint_subset> subsets = subsets_of({3, 3}, {0, 0});
    CHECK(svcdisc::truncate_endpoint_subsets(subsets, 4));
    CHECK(subsets[0].addresses.size() == 2);
    CHECK(subsets[1].addresses.size() == 2);
    CHECK_FALSE(svcdisc::truncate_endpoint_subsets(subsets, 4));
}
