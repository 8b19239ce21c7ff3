get endpoints -f seed/without-selector.yaml
