#pragma once

/// Forward declarations of svcdisc's model types, for headers that only name them.

#include <string>

namespace svcdisc {

template <class String>
class basic_label_set;
template <class String>
struct basic_object_meta;
template <class String>
struct basic_pod;
template <class String>
struct basic_service;
template <class String>
struct basic_node;
template <class String>
struct basic_endpoints;
template <class String>
struct basic_endpoint_slice;
template <class Pod>
struct pod_traits;

using label_set = basic_label_set<std::string>;
using pod = basic_pod<std::string>;
using service = basic_service<std::string>;
using node = basic_node<std::string>;
using endpoints = basic_endpoints<std::string>;
using endpoint_slice = basic_endpoint_slice<std::string>;

} // namespace svcdisc
