get endpoints my-service -o yaml -f seed/with-selector.yaml
