explain service my-service -f seed/with-selector.yaml
