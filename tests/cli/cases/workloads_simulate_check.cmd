check --simulate -f workloads/deployment-app.yaml
