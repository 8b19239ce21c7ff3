services-for unrelated -f seed/with-selector.yaml
