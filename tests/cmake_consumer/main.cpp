#include <cstdio>

#include <svcdisc/svcdisc.hpp>

int main() {
    const svcdisc::label_set labels{{"app", "MyApp"}, {"tier", "web"}};
    if (labels.size() != 2 || !labels.contains("app")) {
        std::puts("consumer: label_set is broken");
        return 1;
    }
    std::printf("consumer: svcdisc %s\n", SVCDISC_VERSION_STRING);
    return 0;
}
