get pods --sort-by=.metadata.name -f kubectl.yaml
