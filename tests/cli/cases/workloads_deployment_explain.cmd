explain service web -n shop -f workloads/deployment-app.yaml
