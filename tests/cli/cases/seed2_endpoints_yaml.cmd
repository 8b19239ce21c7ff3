get endpoints my-service -o yaml -f seed/without-selector.yaml
