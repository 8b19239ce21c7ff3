get pods -o wide --simulate --cluster-cidr 10.244.0.0/16,fd00:10:244::/56 -f workloads/statefulset-headless.yaml
