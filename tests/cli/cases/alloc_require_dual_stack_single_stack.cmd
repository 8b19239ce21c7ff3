get services -f workloads/refused.yaml
