check -o json -f workloads/drift.yaml
