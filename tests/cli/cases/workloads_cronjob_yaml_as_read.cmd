get cj backup -n store -o yaml -f workloads/kinds.yaml
