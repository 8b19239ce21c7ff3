services-for myapp-3 -f seed/with-selector.yaml
