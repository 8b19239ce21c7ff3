get pods -A -f hostile/bad-namespace.yaml
