// near_misses.hpp: what comes close to a selector entry no pod satisfies.

#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <svcdisc/near_misses.hpp>

namespace {

svcdisc::pod labelled(std::map<std::string, std::string> labels) {
    svcdisc::pod p;
    for (const auto& [key, value] : labels) {
        p.metadata.labels.insert_or_assign(key, value);
    }
    return p;
}

} // namespace

TEST_CASE("near misses: text similarity tells a typo from another word") {
    const auto case_only = svcdisc::text_similarity_of("MyApp", "myapp");
    CHECK(case_only.case_only);
    CHECK(case_only.distance == 2);
    CHECK(case_only.close(5));
    const auto typo = svcdisc::text_similarity_of("web", "webb");
    CHECK_FALSE(typo.case_only);
    CHECK(typo.distance == 1);
    CHECK(typo.close(3));
    const auto other = svcdisc::text_similarity_of("web", "dns");
    CHECK(other.distance == 3);
    CHECK_FALSE(other.close(3));
    // One edit in a two-byte value is half of it: not close.
    CHECK_FALSE(svcdisc::text_similarity_of("db", "dc").close(2));
    CHECK(svcdisc::text_similarity_of("", "").distance == 0);
    CHECK(svcdisc::text_similarity_of("kitten", "sitting").distance == 3);
}

TEST_CASE("near misses: other values with counts, close ones first, then other keys") {
    const std::vector<svcdisc::pod> pods = {
        labelled({{"app", "other"}}),
        labelled({{"app", "myapp"}, {"tier", "web"}}),
        labelled({{"app", "myapp"}}),
        labelled({{"name", "MyApp"}}),
        labelled({{"app", "MyApp"}}), // satisfies the entry: not counted
        labelled({}),
    };
    const auto found = svcdisc::selector_entry_near_misses("app", "MyApp", pods);
    CHECK(found.satisfying == 1);
    const auto& misses = found.near;
    REQUIRE(misses.size() == 3);
    CHECK(misses[0].kind == svcdisc::near_miss_kind::other_value);
    CHECK(misses[0].value == "myapp");
    CHECK(misses[0].pods == 2);
    CHECK(misses[0].close);
    CHECK(misses[0].similarity.case_only);
    CHECK(misses[1].value == "other");
    CHECK(misses[1].pods == 1);
    CHECK_FALSE(misses[1].close);
    CHECK(misses[2].kind == svcdisc::near_miss_kind::other_key);
    CHECK(misses[2].key == "name");
    CHECK(misses[2].value == "MyApp");
    CHECK(misses[2].pods == 1);
    CHECK_FALSE(misses[2].close);
}

TEST_CASE("near misses: more pods first among equally close ones, then by text") {
    const std::vector<svcdisc::pod> pods = {
        labelled({{"app", "dns"}}), labelled({{"app", "api"}}),    labelled({{"app", "db"}}),
        labelled({{"app", "db"}}),  labelled({{"apps", "ghost"}}),
    };
    const auto misses = svcdisc::selector_entry_near_misses("app", "ghost", pods).near;
    REQUIRE(misses.size() == 4);
    CHECK(misses[0].value == "db");
    CHECK(misses[1].value == "api");
    CHECK(misses[2].value == "dns");
    CHECK(misses[3].kind == svcdisc::near_miss_kind::other_key);
    CHECK(misses[3].key == "apps");
    CHECK(misses[3].close);
}

TEST_CASE("near misses: none when every pod satisfies the entry or none comes close") {
    const std::vector<svcdisc::pod> pods = {labelled({{"app", "web"}}),
                                            labelled({{"app", "web"}, {"tier", "front"}})};
    const auto web = svcdisc::selector_entry_near_misses("app", "web", pods);
    CHECK(web.satisfying == 2);
    CHECK(web.near.empty());
    const auto zone = svcdisc::selector_entry_near_misses("zone", "a", pods);
    CHECK(zone.satisfying == 0);
    CHECK(zone.near.empty());
}
