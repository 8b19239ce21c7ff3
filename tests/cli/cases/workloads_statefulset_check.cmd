check -f workloads/statefulset-headless.yaml
