get endpointslices -n shop -f workloads/dual-stack.yaml
