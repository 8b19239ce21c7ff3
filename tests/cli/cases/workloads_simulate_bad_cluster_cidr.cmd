get pods --simulate --cluster-cidr 10.244.0.0/16,10.245.0.0/16 -f workloads/statefulset-headless.yaml
