services-for deployment/web -n shop -f workloads/deployment-app.yaml
