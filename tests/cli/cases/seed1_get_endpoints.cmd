get endpoints -f seed/with-selector.yaml
