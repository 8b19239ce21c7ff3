get deployments,replicasets -l 'tier in (web)' -n store -f workloads/kinds.yaml
