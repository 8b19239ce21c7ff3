get nodes -f seed/with-selector.yaml
