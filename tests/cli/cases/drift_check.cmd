check -f workloads/drift.yaml
