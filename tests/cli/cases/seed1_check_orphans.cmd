check --orphans -f seed/with-selector.yaml
