get statefulsets --show-kind -n store -f workloads/kinds.yaml
