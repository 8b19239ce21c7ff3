get endpointslices --simulate -f workloads/statefulset-headless.yaml -o yaml
