get all -n store -f workloads/kinds.yaml
