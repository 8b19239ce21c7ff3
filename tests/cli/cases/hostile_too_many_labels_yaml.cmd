get pods -f hostile/many-labels.yaml
