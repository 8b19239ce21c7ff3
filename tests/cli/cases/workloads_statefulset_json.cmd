get statefulset.apps/db -n store -o json -f workloads/kinds.yaml
