get pods -A -f seed/with-selector.yaml -f bad/bad-port.yaml
