get services -f workloads/refused.yaml --service-cluster-ip-range 10.0.0.0/8
