get endpointslices -n prod --node-policy assume-present -v -f nodes.yaml
