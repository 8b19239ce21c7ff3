get endpointslices -n prod -v -f nodes.yaml
