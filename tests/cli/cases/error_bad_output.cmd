get pods -o table -f seed/with-selector.yaml
