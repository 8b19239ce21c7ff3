check -f seed/without-selector.yaml
