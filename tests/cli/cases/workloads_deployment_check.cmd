check -f workloads/deployment-app.yaml
