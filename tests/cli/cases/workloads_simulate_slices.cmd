get endpointslices -n shop --simulate -f workloads/deployment-app.yaml
