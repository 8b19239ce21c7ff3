get endpoints -n web -v -f workloads/captured-no-pods.yaml
