get pods -o wide -f workloads/generate-name.yaml
