get endpointslices -n shop --node-policy upstream -f troubles.yaml
