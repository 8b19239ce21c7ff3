get services -f workloads/refused.yaml --service-cluster-ip-range 10.96.0.0/12,fd00:10:96::/108 -o wide
