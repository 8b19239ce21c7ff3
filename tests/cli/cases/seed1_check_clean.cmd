check -f seed/with-selector.yaml
