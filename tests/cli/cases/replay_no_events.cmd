replay -f seed/with-selector.yaml
