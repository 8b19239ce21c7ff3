get endpointslices -n shop -f workloads/dual-stack.yaml --service-cluster-ip-range 10.96.0.0/16,fd00:10:96::/112
