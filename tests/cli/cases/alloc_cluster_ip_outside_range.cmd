get services -f workloads/outside-range.yaml
