get endpointslices -o yaml -f seed/without-selector.yaml
