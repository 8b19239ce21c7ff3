get pod web-1 --simulate -f workloads/statefulset-headless.yaml -o yaml
