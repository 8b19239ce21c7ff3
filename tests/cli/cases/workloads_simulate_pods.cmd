get pods -n shop -o wide --simulate -f workloads/deployment-app.yaml
