describe endpointslices -l kubernetes.io/service-name=db -f kubectl.yaml
