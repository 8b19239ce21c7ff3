get deploy,rs,sts,ds,jobs,cj,rc -n store -o name -f workloads/kinds.yaml
