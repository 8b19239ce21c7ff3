get services -f workloads/refused.yaml --service-node-port-range 32767-30000
