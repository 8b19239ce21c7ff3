check -f workloads/captured-no-pods.yaml
