get pods -A -f hostile/nul-name.yaml
