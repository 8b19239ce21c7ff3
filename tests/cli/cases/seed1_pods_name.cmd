get pods -A -o name -f seed/with-selector.yaml
