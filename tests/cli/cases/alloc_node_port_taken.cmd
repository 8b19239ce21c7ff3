get services -f workloads/taken.yaml
