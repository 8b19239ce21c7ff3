get pods -f seed/with-selector.yaml -n
