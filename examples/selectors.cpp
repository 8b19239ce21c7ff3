// A tour of Kubernetes label selectors with svcdisc: parse, print the canonical form, match
// against a few pods' labels, and see what an error looks like.
//
//     $ ./selectors

#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <svcdisc/label_selector.hpp>
#include <svcdisc/labels.hpp>
#include <svcdisc/result.hpp>
#include <svcdisc/selector.hpp>

namespace {

std::string describe(const svcdisc::label_set& labels) {
    std::string out = "{";
    for (const auto& [key, value] : labels) {
        out += (out.size() > 1 ? ", " : "") + key + "=" + value;
    }
    return out + "}";
}

void show_canonical_forms() {
    std::cout << "1. Parsing gives Kubernetes' canonical form (requirements sorted by key,\n"
                 "   values sorted and de-duplicated, no spaces):\n\n";
    for (std::string_view text : {"tier in (web, api, web), app = shop", "!canary,env!=prod",
                                  "x in (b,,a)", "replicas>2", "  ", "app==shop"}) {
        const auto selector = svcdisc::parse_selector(text);
        std::cout << "   \"" << text << "\"\n     -> \"" << svcdisc::to_string(selector) << "\""
                  << (selector.empty() ? "   (empty: matches everything)" : "") << "\n";
    }
    std::cout << "\n";
}

void show_matching() {
    std::cout << "2. Matching: every requirement must hold. '!=' and 'notin' also hold when the\n"
                 "   label is missing; '>' and '<' only hold for integer values.\n\n";
    const std::vector<svcdisc::label_set> pods = {
        {{"app", "shop"}, {"tier", "web"}, {"env", "prod"}},
        {{"app", "shop"}, {"tier", "api"}, {"env", "staging"}, {"canary", "true"}},
        {{"app", "shop"}, {"tier", "db"}},
        {{"app", "blog"}, {"replicas", "3"}},
    };
    for (std::string_view text : {"app=shop,tier in (web,api)", "app=shop,env!=prod", "!canary",
                                  "replicas>2", "tier notin (db)"}) {
        const auto selector = svcdisc::parse_selector(text);
        std::cout << "   " << text << "\n";
        for (const auto& labels : pods) {
            std::cout << "     " << (selector.matches(labels) ? "match    " : "no match ")
                      << describe(labels) << "\n";
        }
    }
    std::cout << "\n";
}

void show_errors() {
    std::cout << "3. Errors say what was found and what was expected, at the byte where the\n"
                 "   problem is:\n\n";
    for (std::string_view text : {"app=shop,tier in (web api)", "app=shop=web",
                                  "env!=", "Tier.Example.com/x=1", "x>-1", "app=shop,"}) {
        const auto parsed = svcdisc::try_parse_selector(text);
        if (parsed) {
            std::cout << "   \"" << text << "\" parses as \"" << svcdisc::to_string(*parsed)
                      << "\" (an empty value is a value)\n\n";
            continue;
        }
        std::cout << "   error at byte " << parsed.error().offset << ": " << parsed.error().message
                  << "\n";
        std::string caret = svcdisc::render_caret(text, parsed.error().offset);
        for (std::size_t start = 0; start < caret.size();) {
            const std::size_t end = std::min(caret.find('\n', start), caret.size());
            std::cout << "     " << caret.substr(start, end - start) << "\n";
            start = end + 1;
        }
        std::cout << "\n";
    }
    try {
        (void)svcdisc::parse_selector("x in ((a))");
    } catch (const svcdisc::parse_error& error) {
        std::cout << "   parse_selector throws svcdisc::parse_error: offset " << error.offset()
                  << ", \"" << error.what() << "\"\n\n";
    }
}

void show_label_selector() {
    std::cout
        << "4. metav1.LabelSelector (matchLabels + matchExpressions), as in a Deployment:\n\n";
    const svcdisc::label_selector_spec spec{
        {{"app", "shop"}}, {{"tier", "In", {"web", "api"}}, {"canary", "DoesNotExist", {}}}};
    std::cout << "   matchLabels {app: shop}, tier In [web, api], canary DoesNotExist\n     -> \""
              << svcdisc::to_string(svcdisc::to_label_selector(spec).value()) << "\"\n";
    const auto absent = svcdisc::to_label_selector(std::nullopt).value();
    std::cout << "   an absent selector matches "
              << (absent.matches(svcdisc::label_set{}) ? "all" : "nothing")
              << "; a present but empty one matches "
              << (svcdisc::to_label_selector(svcdisc::label_selector_spec{})
                          ->matches(svcdisc::label_set{})
                      ? "everything"
                      : "nothing")
              << "\n";
    for (const std::string& problem :
         svcdisc::validate_label_selector_spec({{}, {{"tier", "In", {}}, {"x", "in", {"a"}}}})) {
        std::cout << "   invalid: " << problem << "\n";
    }
}

} // namespace

int main() {
    show_canonical_forms();
    show_matching();
    show_errors();
    show_label_selector();
    return 0;
}
