#pragma once

#include <optional>
#include <vector>

#include <svcdisc/endpoint_slice.hpp>
#include <svcdisc/endpoints.hpp>
#include <svcdisc/service.hpp>

#include "commands/cluster_view.hpp"
#include "commands/planned_pods.hpp"
#include "commands/verdict.hpp"

namespace svcdisc_cli {

/// A planned pod against `svc`: selection and target ports as judge() finds them on the
/// workload's template, and in the derived objects the state `planned` (the pod does not exist
/// yet, so it has no address to publish).
inline verdict judge_planned(const cluster_view& view, const svcdisc::service& svc,
                             const planned_pod& planned,
                             const std::optional<svcdisc::endpoints>& eps,
                             const std::vector<svcdisc::endpoint_slice>& slices) {
    verdict v = judge(view, svc, planned.pod, eps, slices);
    v.pod = planned.description;
    if (v.selected) {
        const char* why = "the input holds none of the workload's pods yet (--simulate creates "
                          "them)";
        v.endpoints_state = "planned";
        v.endpoints_reason = why;
        v.endpoints_address.clear();
        v.slices_state = "planned";
        v.slices_reason = why;
        v.slice_names.clear();
    }
    return v;
}

} // namespace svcdisc_cli
