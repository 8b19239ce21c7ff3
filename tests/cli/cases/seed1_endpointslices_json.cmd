get endpointslices -o json -f seed/with-selector.yaml
