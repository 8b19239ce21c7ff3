#pragma once

/// Forward declarations of svcdisc's public class templates and their std::string aliases, for
/// code that only names them (a consumer's own headers; svcdisc's headers all need the
/// definitions). The index templates are not declared here: their default template arguments
/// live with their definitions in selector_index.hpp and service_index.hpp.

#include <string>

namespace svcdisc {

template <class String>
class basic_label_set;
template <class String>
struct basic_object_reference;
template <class String>
struct basic_owner_reference;
template <class String>
struct basic_object_meta;
template <class String>
struct basic_container_port;
template <class String>
struct basic_container;
template <class String>
struct basic_pod_condition;
template <class String>
struct basic_pod_spec;
template <class String>
struct basic_pod_status;
template <class String>
struct basic_pod;
template <class Pod>
struct pod_traits;
template <class String>
class basic_int_or_string;
template <class String>
struct basic_service_port;
template <class String>
struct basic_service_spec;
template <class String>
struct basic_service_status;
template <class String>
struct basic_service;
template <class String>
struct basic_node_condition;
template <class String>
struct basic_node;
template <class String>
struct basic_endpoint_address;
template <class String>
struct basic_endpoint_port;
template <class String>
struct basic_endpoint_subset;
template <class String>
struct basic_endpoints;
template <class String>
struct basic_endpoint_hints;
template <class String>
struct basic_endpoint;
template <class String>
struct basic_endpoint_slice_port;
template <class String>
struct basic_endpoint_slice;
template <class String>
struct basic_endpoint_slice_changes;
template <class String>
struct basic_mirroring_result;
template <class String>
struct basic_mirroring_changes;
template <class T>
class result;
class label_requirement;
class label_selector;
struct label_selector_spec;
struct endpoint_conditions;
struct endpoint_slice_options;
struct mirroring_options;
struct mirroring_warning;
struct input_error;
class ip_address;

using label_set = basic_label_set<std::string>;
using object_reference = basic_object_reference<std::string>;
using owner_reference = basic_owner_reference<std::string>;
using object_meta = basic_object_meta<std::string>;
using container_port = basic_container_port<std::string>;
using container = basic_container<std::string>;
using pod_condition = basic_pod_condition<std::string>;
using pod = basic_pod<std::string>;
using int_or_string = basic_int_or_string<std::string>;
using service_port = basic_service_port<std::string>;
using service = basic_service<std::string>;
using node_condition = basic_node_condition<std::string>;
using node = basic_node<std::string>;
using endpoint_address = basic_endpoint_address<std::string>;
using endpoint_port = basic_endpoint_port<std::string>;
using endpoint_subset = basic_endpoint_subset<std::string>;
using endpoints = basic_endpoints<std::string>;
using endpoint_hints = basic_endpoint_hints<std::string>;
using endpoint = basic_endpoint<std::string>;
using endpoint_slice_port = basic_endpoint_slice_port<std::string>;
using endpoint_slice = basic_endpoint_slice<std::string>;
using endpoint_slice_changes = basic_endpoint_slice_changes<std::string>;
using mirroring_result = basic_mirroring_result<std::string>;
using mirroring_changes = basic_mirroring_changes<std::string>;

} // namespace svcdisc
