get pods -A -f hostile/huge-name.yaml
