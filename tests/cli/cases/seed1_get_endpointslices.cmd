get endpointslices -f seed/with-selector.yaml
