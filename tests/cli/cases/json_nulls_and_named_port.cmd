get endpointslices -n nulls -f nulls.json
