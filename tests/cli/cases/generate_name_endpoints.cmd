get endpoints -f workloads/generate-name.yaml
