get endpointslices -n web -f workloads/captured-no-pods.yaml -o wide
