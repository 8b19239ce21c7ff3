check -o json -f seed/without-selector.yaml
