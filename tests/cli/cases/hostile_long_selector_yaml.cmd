get services -f hostile/long-selector.yaml
