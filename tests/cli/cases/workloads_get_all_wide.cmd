get all -n store -o wide -f workloads/kinds.yaml
