get jobs missing -n store -f workloads/kinds.yaml
